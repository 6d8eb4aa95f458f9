build-vg/core/datafile.o: core/datafile.c /work/main/core/datafile.h \
 /work/main/core/error.h
/work/main/core/datafile.h:
/work/main/core/error.h:
