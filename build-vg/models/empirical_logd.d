build-vg/models/empirical_logd.o: models/empirical_logd.c \
 /work/main/models/model.h /work/main/core/datafile.h \
 /work/main/core/error.h /work/main/core/plant.h \
 /work/main/core/elements.h
/work/main/models/model.h:
/work/main/core/datafile.h:
/work/main/core/error.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
