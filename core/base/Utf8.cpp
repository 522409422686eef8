#include "Utf8.h"

#include <cstdint>

namespace cosw {

size_t utf8CharLength(std::string_view text)
{
    static const uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (text.empty())
        return 0;
    const auto c = static_cast<unsigned char>(text[0]);
    if (c < 0x80)
        return 1;
    size_t length;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
        length = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        length = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        length = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (length > text.size())
        return 0;
    for (size_t k = 1; k < length; ++k) {
        const auto cc = static_cast<unsigned char>(text[k]);
        if ((cc & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return length;
}

size_t firstInvalidUtf8(std::string_view text)
{
    for (size_t i = 0; i < text.size();) {
        const size_t length = utf8CharLength(text.substr(i));
        if (length == 0)
            return i;
        i += length;
    }
    return std::string_view::npos;
}

} // namespace cosw
