/* common.h - shared by cj.c, jc.c, ja.c: load t.json (from gen.py) and a
 * clock.  The clock is the process's CPU time, not wall time, so that
 * other jobs on the machine do not inflate the result (a parse loop makes
 * no system calls: its CPU time is its cost). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec/1e9;}
static char buf[1<<20]; static size_t n;
static void load(void){FILE*f=fopen("t.json","rb");if(!f){perror("t.json");exit(1);}n=fread(buf,1,sizeof buf,f);buf[n]=0;fclose(f);}
