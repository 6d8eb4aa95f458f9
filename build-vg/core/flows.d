build-vg/core/flows.o: core/flows.c /work/main/core/flows.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h
/work/main/core/flows.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
