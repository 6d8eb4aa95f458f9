build-vg/config/cost.o: config/cost.c /work/main/config/internal.h \
 /work/main/config/config.h /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/core/error.h \
 /work/main/design/search.h /work/main/design/theory.h \
 /work/main/solver/circuit.h /work/main/solver/flowsheet.h \
 /work/main/models/model.h /work/main/core/datafile.h
/work/main/config/internal.h:
/work/main/config/config.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/design/search.h:
/work/main/design/theory.h:
/work/main/solver/circuit.h:
/work/main/solver/flowsheet.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
