build-vg/design/theory.o: design/theory.c /work/main/design/theory.h \
 /work/main/core/error.h
/work/main/design/theory.h:
/work/main/core/error.h:
