build-vg/tests/test_validation.o: tests/test_validation.c \
 /work/main/validation/cases.h
/work/main/validation/cases.h:
