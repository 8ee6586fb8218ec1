x = ((((a.b.c[1:2]))))
f = lambda: [i for i in range(3) if i]
