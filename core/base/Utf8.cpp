#include "Utf8.h"

#include <algorithm>
#include <cstdint>

namespace cosw {

namespace {

struct Decoded {
    size_t length = 0; // 0: `text` starts with no well-formed character
    uint32_t codePoint = 0;
};

// The well-formed UTF-8 character `text` starts with.
Decoded decodeFirst(std::string_view text)
{
    static const uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (text.empty())
        return {};
    const auto c = static_cast<unsigned char>(text[0]);
    if (c < 0x80)
        return {1, c};
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
        return {};
    }
    if (length > text.size())
        return {};
    for (size_t k = 1; k < length; ++k) {
        const auto cc = static_cast<unsigned char>(text[k]);
        if ((cc & 0xC0) != 0x80)
            return {};
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return {};
    return {length, cp};
}

bool isWide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F)
           || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
           || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F)
           || (cp >= 0x20000 && cp <= 0x3FFFD);
}

} // namespace

size_t utf8CharLength(std::string_view text) { return decodeFirst(text).length; }

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


size_t displayWidth(std::string_view text)
{
    size_t width = 0;
    for (size_t i = 0; i < text.size();) {
        const Decoded c = decodeFirst(text.substr(i));
        width += c.length > 0 && isWide(c.codePoint) ? 2 : 1;
        i += std::max<size_t>(1, c.length);
    }
    return width;
}

std::string padToWidth(std::string_view text, size_t width, bool alignRight)
{
    const size_t used = displayWidth(text);
    const std::string padding(used < width ? width - used : 0, ' ');
    return alignRight ? padding + std::string(text) : std::string(text) + padding;
}

} // namespace cosw
