build-vg/core/plant.o: core/plant.c /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/core/error.h
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
