build-vg/models/separation_factor.o: models/separation_factor.c \
 /work/main/models/model.h /work/main/core/datafile.h \
 /work/main/core/error.h /work/main/core/plant.h \
 /work/main/core/elements.h
/work/main/models/model.h:
/work/main/core/datafile.h:
/work/main/core/error.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
