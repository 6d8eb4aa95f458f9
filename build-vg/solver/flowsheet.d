build-vg/solver/flowsheet.o: solver/flowsheet.c \
 /work/main/solver/flowsheet.h /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h /work/main/models/model.h \
 /work/main/core/datafile.h
/work/main/solver/flowsheet.h:
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/models/model.h:
/work/main/core/datafile.h:
