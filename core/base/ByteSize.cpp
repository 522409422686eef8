#include "ByteSize.h"

namespace cosw {

ByteSize byteSize(int64_t bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    ByteSize size;
    size.value = double(bytes);
    int unit = 0;
    while (size.value >= 1024.0 && unit < 4) {
        size.value /= 1024.0;
        ++unit;
    }
    size.unit = units[unit];
    size.decimals = unit == 0 || size.value >= 100 ? 0 : size.value >= 10 ? 1 : 2;
    return size;
}

} // namespace cosw
