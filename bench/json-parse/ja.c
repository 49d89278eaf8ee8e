#include "common.h"
#include <jansson.h>
int main(void){load();int R=100000;long s=0;double t=now();for(int i=0;i<R;i++){json_error_t e;json_t*j=json_loadb(buf,n,0,&e);s+=json_array_size(json_object_get(j,"trips"));json_decref(j);}printf("jansson %.2f us %ld\n",(now()-t)/R*1e6,s);}
