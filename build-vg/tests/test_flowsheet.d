build-vg/tests/test_flowsheet.o: tests/test_flowsheet.c /work/main/rx.h \
 /work/main/core/error.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/core/plant.h \
 /work/main/core/elements.h /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/solver/dynamics.h \
 /work/main/solver/circuit.h /work/main/solver/flowsheet.h \
 /work/main/design/theory.h /work/main/design/search.h \
 /work/main/design/theory.h /work/main/design/cost.h \
 /work/main/solver/flowsheet.h /work/main/config/config.h \
 /work/main/design/search.h /work/main/output/output.h \
 /work/main/design/cost.h /work/main/solver/dynamics.h tests/support.h
/work/main/rx.h:
/work/main/core/error.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/solver/circuit.h:
/work/main/core/plant.h:
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
tests/support.h:
