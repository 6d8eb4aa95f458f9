build-vg/solver/dyn_state.o: solver/dyn_state.c \
 /work/main/solver/dyn_internal.h /work/main/core/flows.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/solver/dynamics.h \
 /work/main/solver/circuit.h /work/main/core/fileio.h
/work/main/solver/dyn_internal.h:
/work/main/core/flows.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/solver/dynamics.h:
/work/main/solver/circuit.h:
/work/main/core/fileio.h:
