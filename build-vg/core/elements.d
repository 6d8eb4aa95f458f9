build-vg/core/elements.o: core/elements.c /work/main/core/elements.h \
 /work/main/core/error.h /work/main/core/datafile.h
/work/main/core/elements.h:
/work/main/core/error.h:
/work/main/core/datafile.h:
