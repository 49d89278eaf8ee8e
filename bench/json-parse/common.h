#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
static char buf[1<<20]; static size_t n;
static void load(void){FILE*f=fopen("t.json","rb");n=fread(buf,1,sizeof buf,f);buf[n]=0;}
