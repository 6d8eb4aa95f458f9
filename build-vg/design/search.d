build-vg/design/search.o: design/search.c /work/main/design/search.h \
 /work/main/design/theory.h /work/main/core/error.h \
 /work/main/solver/circuit.h /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/design/cost.h \
 /work/main/solver/flowsheet.h /work/main/models/model.h \
 /work/main/core/datafile.h
/work/main/design/search.h:
/work/main/design/theory.h:
/work/main/core/error.h:
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/design/cost.h:
/work/main/solver/flowsheet.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
