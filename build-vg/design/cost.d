build-vg/design/cost.o: design/cost.c /work/main/design/cost.h \
 /work/main/solver/flowsheet.h /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/core/datafile.h
/work/main/design/cost.h:
/work/main/solver/flowsheet.h:
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/core/datafile.h:
