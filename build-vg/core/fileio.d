build-vg/core/fileio.o: core/fileio.c /work/main/core/fileio.h \
 /work/main/core/error.h
/work/main/core/fileio.h:
/work/main/core/error.h:
