import random, struct
random.seed(3)
vals=[0.0,-0.0,1.0,0.1,3e-06,1e-05,0.0001,0.00012,1e16,1e15,123456789012345678.0,1.5e-06,0.9,2.5,-7.25e-10,1e-300,1.7976931348623157e308,5e-324,100.0,0.5,12345.678]
for i in range(200):
    vals.append(struct.unpack('d', struct.pack('Q', random.getrandbits(64)))[0])
    vals.append(random.uniform(-1e6,1e6)); vals.append(10**random.uniform(-8,20))
for v in vals:
    if v!=v: continue
    print(repr(v))
