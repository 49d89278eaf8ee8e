import json,random
random.seed(1)
trips=[]
for i in range(20):
    trips.append({"id":"MOW-LED-20260101-%03d"%i,"carrier":random.choice(["Autolux","Ecolines","FlixBus"]),"departure":"2026-01-01T%02d:%02d:00"%(random.randint(0,23),random.randint(0,59)),"arrival":"2026-01-01T%02d:%02d:00"%(random.randint(0,23),random.randint(0,59)),"duration_min":random.randint(60,900),"price":{"amount":random.randint(500,9000)/100,"currency":"EUR"},"free_seats":random.randint(0,50),"bus":{"model":"Setra S 515 HD","wifi":True,"seats":49}})
d={"route":"MOW-LED","date":"2026-01-01","currency":"EUR","trips":trips}
open("t.json","w").write(json.dumps(d))
