#pragma once
// A byte count in the largest binary unit that keeps it at 1 or more
// ("1.21 GiB"), with the decimals that show about three significant digits.
// Files and the terminal format it with formatRealFixed, the GUI in the
// user's locale.

#include <cstdint>

namespace cosw {

struct ByteSize {
    double value = 0;
    const char *unit = "B"; // B, KiB, MiB, GiB, TiB
    int decimals = 0;
};

ByteSize byteSize(int64_t bytes);

} // namespace cosw
