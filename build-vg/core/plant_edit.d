build-vg/core/plant_edit.o: core/plant_edit.c /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/core/error.h
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
