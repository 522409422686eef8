#pragma once
// Random draws that are the same on every standard library: the engines of
// <random> are specified exactly, its distributions are not, so data
// generation and sampling use these instead of std::uniform_*_distribution.

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace cosw {

// splitmix64's finaliser over the pair, so that nearby seeds such as
// (seed, epoch) and (seed, epoch + 1) start unrelated generators.
inline uint64_t mixSeed(uint64_t a, uint64_t b)
{
    uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Uniform in [0, n) for n > 0, without modulo bias (rejection sampling).
inline uint64_t uniformBelow(std::mt19937_64 &rng, uint64_t n)
{
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = rng();
    while (v >= limit);
    return v % n;
}

// Uniform in [0, 1) with 53 random bits.
inline double uniformUnit(std::mt19937_64 &rng)
{
    return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// Fisher-Yates with uniformBelow (std::shuffle's algorithm is unspecified).
template <typename T>
void deterministicShuffle(std::vector<T> &v, std::mt19937_64 &rng)
{
    for (size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[static_cast<size_t>(uniformBelow(rng, i))]);
}

} // namespace cosw
