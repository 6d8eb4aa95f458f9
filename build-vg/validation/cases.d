build-vg/validation/cases.o: validation/cases.c \
 /work/main/validation/cases.h /work/main/models/model.h \
 /work/main/core/datafile.h /work/main/core/error.h \
 /work/main/core/plant.h /work/main/core/elements.h /work/main/rx.h \
 /work/main/core/error.h /work/main/core/elements.h \
 /work/main/core/plant.h /work/main/solver/circuit.h \
 /work/main/solver/dynamics.h /work/main/solver/circuit.h \
 /work/main/solver/flowsheet.h /work/main/design/theory.h \
 /work/main/design/search.h /work/main/design/theory.h \
 /work/main/design/cost.h /work/main/solver/flowsheet.h \
 /work/main/config/config.h /work/main/design/search.h \
 /work/main/output/output.h /work/main/design/cost.h \
 /work/main/solver/dynamics.h
/work/main/validation/cases.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
/work/main/core/error.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/rx.h:
/work/main/core/error.h:
/work/main/core/elements.h:
/work/main/core/plant.h:
/work/main/solver/circuit.h:
/work/main/solver/dynamics.h:
/work/main/solver/circuit.h:
/work/main/solver/flowsheet.h:
/work/main/design/theory.h:
/work/main/design/search.h:
/work/main/design/theory.h:
/work/main/design/cost.h:
/work/main/solver/flowsheet.h:
/work/main/config/config.h:
/work/main/design/search.h:
/work/main/output/output.h:
/work/main/design/cost.h:
/work/main/solver/dynamics.h:
