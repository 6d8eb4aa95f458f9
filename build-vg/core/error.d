build-vg/core/error.o: core/error.c /work/main/core/error.h
/work/main/core/error.h:
