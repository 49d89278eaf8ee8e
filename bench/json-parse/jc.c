#include "common.h"
#include <json-c/json.h>
int main(void){load();int R=100000;long s=0;double t=now();struct json_tokener*tk=json_tokener_new();for(int i=0;i<R;i++){json_tokener_reset(tk);json_object*j=json_tokener_parse_ex(tk,buf,n);json_object*tr;json_object_object_get_ex(j,"trips",&tr);s+=json_object_array_length(tr);json_object_put(j);}printf("json-c %.2f us %ld\n",(now()-t)/R*1e6,s);}
