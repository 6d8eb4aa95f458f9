build-vg/solver/dynamics.o: solver/dynamics.c \
 /work/main/solver/dyn_internal.h /work/main/core/flows.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/solver/dynamics.h \
 /work/main/solver/circuit.h
/work/main/solver/dyn_internal.h:
/work/main/core/flows.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/solver/dynamics.h:
/work/main/solver/circuit.h:
