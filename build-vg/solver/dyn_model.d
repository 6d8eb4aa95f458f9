build-vg/solver/dyn_model.o: solver/dyn_model.c \
 /work/main/solver/dyn_internal.h /work/main/core/flows.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/solver/dynamics.h \
 /work/main/solver/circuit.h /work/main/models/model.h \
 /work/main/core/datafile.h
/work/main/solver/dyn_internal.h:
/work/main/core/flows.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/solver/dynamics.h:
/work/main/solver/circuit.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
