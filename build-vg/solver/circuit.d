build-vg/solver/circuit.o: solver/circuit.c /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/core/flows.h /work/main/core/lapack.h \
 /work/main/models/model.h /work/main/core/datafile.h
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/core/flows.h:
/work/main/core/lapack.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
