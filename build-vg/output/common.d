build-vg/output/common.o: output/common.c /work/main/output/writer.h \
 /work/main/output/output.h /work/main/design/cost.h \
 /work/main/solver/flowsheet.h /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/design/search.h \
 /work/main/design/theory.h /work/main/solver/dynamics.h \
 /work/main/core/fileio.h
/work/main/output/writer.h:
/work/main/output/output.h:
/work/main/design/cost.h:
/work/main/solver/flowsheet.h:
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/design/search.h:
/work/main/design/theory.h:
/work/main/solver/dynamics.h:
/work/main/core/fileio.h:
