build-vg/models/mass_action.o: models/mass_action.c \
 /work/main/models/model.h /work/main/core/datafile.h \
 /work/main/core/error.h /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/core/lapack.h \
 /work/main/models/activity.h
/work/main/models/model.h:
/work/main/core/datafile.h:
/work/main/core/error.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/lapack.h:
/work/main/models/activity.h:
