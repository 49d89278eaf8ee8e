#include "common.h"
#include <cjson/cJSON.h>
int main(void){load();int R=100000;long s=0;double t=now();for(int i=0;i<R;i++){cJSON*j=cJSON_ParseWithLength(buf,n);s+=cJSON_GetArraySize(cJSON_GetObjectItem(j,"trips"));cJSON_Delete(j);}printf("cJSON %.2f us %ld\n",(now()-t)/R*1e6,s);}
