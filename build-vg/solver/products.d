build-vg/solver/products.o: solver/products.c /work/main/solver/circuit.h \
 /work/main/core/plant.h /work/main/core/elements.h \
 /work/main/core/error.h
/work/main/solver/circuit.h:
/work/main/core/plant.h:
/work/main/core/elements.h:
/work/main/core/error.h:
