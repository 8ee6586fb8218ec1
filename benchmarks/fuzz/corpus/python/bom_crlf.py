import os
lr = 0.1
