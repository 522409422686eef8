#pragma once
// UTF-8 validation for text that arrives from files: the JSON writer refuses
// invalid UTF-8, and so do the UI and other tools that read our files.

#include <string>
#include <string_view>

namespace cosw {

// Length in bytes of the well-formed UTF-8 character `text` starts with; 0
// when it starts with none (overlong forms, surrogates and code points past
// U+10FFFF included) or is empty.
size_t utf8CharLength(std::string_view text);

// Byte offset of the first byte that does not start a well-formed UTF-8
// sequence; std::string_view::npos when the whole text is valid.
size_t firstInvalidUtf8(std::string_view text);

// Terminal columns `text` takes: two per East Asian wide character (CJK,
// Hangul, full-width forms), one per other character; a byte that starts no
// character counts one.
size_t displayWidth(std::string_view text);

// `text` padded with spaces to `width` columns, after it or, aligned right,
// before it (what printf's %-Ns and %Ns do for ASCII).
std::string padToWidth(std::string_view text, size_t width, bool alignRight = false);

} // namespace cosw
