# -*- coding: latin-1 -*-
name = "café"
model.fit(epochs=30, batch_size=64)
