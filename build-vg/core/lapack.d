build-vg/core/lapack.o: core/lapack.c /work/main/core/lapack.h \
 /work/main/core/error.h
/work/main/core/lapack.h:
/work/main/core/error.h:
