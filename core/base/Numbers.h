#pragma once

// Numbers in files (configs, JSON, YAML, the store, progress lines, exports)
// are read and written here, in the classic "C" notation whatever the
// process locale: the GUI's application object sets LC_NUMERIC from the
// environment, and under de_DE strtod("1.0e-3") stops at the '.' and returns 1.
// These functions never consult the locale.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cosw {

// The whole text as a decimal (optional sign, digits, '.', exponent); nullopt
// for anything else, including trailing characters and out-of-range values.
std::optional<double> parseReal(std::string_view text);
// The whole text as a decimal integer; nullopt on overflow or other characters.
std::optional<int64_t> parseInteger(std::string_view text);

// The shortest text that reads back to exactly `value` ("0.001", "1e+300", "-0").
std::string formatReal(double value);
// `digits` significant digits, as printf's %.{digits}g.
std::string formatRealSignificant(double value, int digits);
// `decimals` digits after the point, as printf's %.{decimals}f.
std::string formatRealFixed(double value, int decimals);

} // namespace cosw
