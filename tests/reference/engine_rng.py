"""engine/src/core/rng.hpp in Python: xoshiro256** seeded through splitmix64, for the reference
scripts that must reproduce the engine's own draws (make_golden.py: dropout masks;
torch_quality.py --engine-draws: initial weights and batch order). uniform() uses the top 53
bits, exactly as the engine does, so the numbers come out bit for bit the same."""

import torch

MASK64 = (1 << 64) - 1


class EngineRng:
    def __init__(self, seed):
        x = seed
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    def next_u64(self):
        s = self.s
        result = (self._rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return result

    def uniform(self, lo=0.0, hi=1.0):
        """Rng::uniform(lo, hi): lo + (hi − lo)·u, u in [0, 1) from 53 bits (lo 0, hi 1: u itself)."""
        return lo + (hi - lo) * ((self.next_u64() >> 11) * 2.0 ** -53)

    def below(self, n):
        """Rng::below: uniform in [0, n), rejection on the top values."""
        if n <= 1:
            return 0
        limit = MASK64 - MASK64 % n
        while True:
            r = self.next_u64()
            if r < limit:
                return r % n

    def permutation(self, n):
        """Trainer::start_epoch: Rng::shuffle (Fisher–Yates, last position first) of 0..n−1."""
        v = list(range(n))
        for i in range(n, 1, -1):
            j = self.below(i)
            v[i - 1], v[j] = v[j], v[i - 1]
        return torch.tensor(v)
