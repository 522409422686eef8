// Safetensors reader and writer: bit-exact round trips, the on-disk layout
// other implementations expect, and refusal of malformed files.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Json.h"
#include "io/Safetensors.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <torch/torch.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using cosw::InputError;
using cosw::Json;
using cosw::parseJson;
using cosw::Metadata;
using cosw::SafetensorsFile;
using cosw::StateDict;
using cosw::test::thrownMessage;

Q_DECLARE_METATYPE(torch::ScalarType)

namespace {

const torch::ScalarType kAllDtypes[] = {
    torch::kDouble, torch::kFloat, torch::kHalf, torch::kBFloat16, torch::kLong,
    torch::kInt,    torch::kShort, torch::kChar, torch::kByte,     torch::kBool,
};

// Random bytes rather than random values: every bit pattern (NaN payloads,
// subnormals, negative zero) has to survive a round trip.
torch::Tensor randomBits(torch::ScalarType type, std::vector<int64_t> shape, std::mt19937 &rng)
{
    torch::Tensor t = torch::empty(shape, torch::TensorOptions().dtype(type));
    auto *p = static_cast<unsigned char *>(t.data_ptr());
    for (size_t i = 0; i < t.nbytes(); ++i)
        p[i] = static_cast<unsigned char>(type == torch::kBool ? rng() & 1 : rng() & 0xFF);
    return t;
}

bool sameBits(const torch::Tensor &a, const torch::Tensor &b)
{
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes())
        return false;
    torch::Tensor ca = a.contiguous();
    torch::Tensor cb = b.contiguous();
    return ca.nbytes() == cb.nbytes()
        && (ca.nbytes() == 0 || std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()) == 0);
}



QByteArray le64(uint64_t v)
{
    QByteArray out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return out;
}

uint64_t readLe64(const QByteArray &bytes)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

// A file laid out per the format: length prefix, header as given, data.
QByteArray layout(const QByteArray &header, const QByteArray &data)
{
    return le64(static_cast<uint64_t>(header.size())) + header + data;
}

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values)
        out.append(static_cast<char>(v));
    return out;
}

bool startsWith(const std::string &s, const std::string &prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsBitExact_data();
    void roundTripIsBitExact();
    void roundTripsMetadata();
    void writesAlignedSortedLayout();
    void readsHandWrittenFile();
    void fileApi();
    void writerHandlesViewsAndDevices();
    void writerRefusesBadArguments();
    void writerReportsIoFailure();
    void refusesMissingFile();
    void refusesTruncatedFile();
    void refusesMalformed_data();
    void refusesMalformed();

private:
    QTemporaryDir m_dir;
};

void TestSafetensors::roundTripIsBitExact_data()
{
    QTest::addColumn<torch::ScalarType>("dtype");
    for (torch::ScalarType type : kAllDtypes)
        QTest::newRow(c10::toString(type)) << type;
}

void TestSafetensors::roundTripIsBitExact()
{
    QFETCH(torch::ScalarType, dtype);
    QVERIFY(m_dir.isValid());
    std::mt19937 rng(static_cast<unsigned>(dtype) + 1);

    torch::Tensor wide = randomBits(dtype, {5, 7}, rng);
    StateDict in;
    in["matrix"] = randomBits(dtype, {3, 5}, rng);
    in["cube"] = randomBits(dtype, {2, 3, 4}, rng);
    in["empty"] = randomBits(dtype, {0, 4}, rng);
    in["empty.middle"] = randomBits(dtype, {3, 0, 2}, rng);
    in["scalar"] = randomBits(dtype, {}, rng);
    in["transposed"] = wide.t();
    in["stepped"] = wide.slice(1, 1, 7, 2);
    in["column"] = wide.select(1, 3);
    in["broadcast"] = randomBits(dtype, {1, 3}, rng).expand({4, 3});
    QVERIFY(!in["transposed"].is_contiguous());
    QVERIFY(!in["stepped"].is_contiguous());
    QVERIFY(!in["broadcast"].is_contiguous());

    const std::string path = m_dir.filePath("roundtrip.safetensors").toStdString();
    cosw::writeSafetensors(path, in);
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".partial")));
    StateDict out = cosw::readSafetensors(path);

    QCOMPARE(out.size(), in.size());
    for (const auto &[name, tensor] : in) {
        QVERIFY2(out.count(name), name.c_str());
        const torch::Tensor &read = out.at(name);
        QVERIFY2(sameBits(read, tensor), name.c_str());
        QVERIFY(read.is_contiguous());
        QVERIFY(read.device().is_cpu());
    }
    QCOMPARE(out.at("scalar").dim(), int64_t(0));
    QCOMPARE(out.at("empty").numel(), int64_t(0));
}

void TestSafetensors::roundTripsMetadata()
{
    const std::string path = m_dir.filePath("metadata.safetensors").toStdString();
    const Metadata meta = {
        {"format", "pt"},
        {"empty", ""},
        {"escapes", "quote \" backslash \\ newline \n tab \t control \x01"},
        {"unicode", "\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80"},
        {"json", "{\"nested\": [1, 2]}"},
    };
    cosw::writeSafetensors(path, {{"x", torch::arange(4, torch::kFloat)}}, meta);
    Metadata read = {{"stale", "value"}};
    StateDict out = cosw::readSafetensors(path, &read);
    QVERIFY(read == meta);
    QVERIFY(out.at("x").equal(torch::arange(4, torch::kFloat)));

    // No metadata and no tensors at all is still a valid file.
    cosw::writeSafetensors(path, {});
    out = cosw::readSafetensors(path, &read);
    QVERIFY(out.empty());
    QVERIFY(read.empty());
    QVERIFY(cosw::readSafetensors(path, nullptr).empty());
}

void TestSafetensors::writesAlignedSortedLayout()
{
    const QString qpath = m_dir.filePath("layout.safetensors");
    const std::string path = qpath.toStdString();
    // Growing names move the unpadded header length through every residue
    // mod 8.
    for (int n = 1; n <= 9; ++n) {
        StateDict in;
        for (int i = n; i >= 1; --i)
            in[std::string(static_cast<size_t>(i), 'k') + "." + std::to_string(i)] =
                torch::arange(i, torch::kByte);
        cosw::writeSafetensors(path, in, n % 2 ? Metadata{{"n", std::to_string(n)}} : Metadata{});

        const QByteArray file = cosw::test::readFile(qpath);
        QVERIFY(file.size() >= 8);
        const uint64_t headerLength = readLe64(file);
        QCOMPARE(headerLength % 8, uint64_t(0));
        QVERIFY(8 + headerLength <= static_cast<uint64_t>(file.size()));
        const std::string header = file.mid(8, static_cast<qsizetype>(headerLength)).toStdString();
        // Padding is trailing spaces after the JSON object.
        const size_t close = header.find_last_of('}');
        QVERIFY(close != std::string::npos);
        QCOMPARE(header.find_first_not_of(' ', close + 1), std::string::npos);
        QVERIFY(close + 1 + 7 >= header.size());

        const Json json = parseJson(header, "layout");
        uint64_t expectedBegin = 0;
        std::string previous;
        for (const auto &[name, entry] : json.items()) {
            if (name == "__metadata__") {
                QCOMPARE(entry.at("n").get<std::string>(), std::to_string(n));
                continue;
            }
            QVERIFY2(previous < name, name.c_str()); // sorted by name
            previous = name;
            QCOMPARE(entry.at("dtype").get<std::string>(), std::string("U8"));
            const Json &offsets = entry.at("data_offsets");
            QCOMPARE(static_cast<uint64_t>(offsets[0].get<int64_t>()), expectedBegin);
            const int64_t count = in.at(name).numel();
            QCOMPARE(entry.at("shape").at(0).get<int64_t>(), count);
            expectedBegin += static_cast<uint64_t>(count);
            QCOMPARE(static_cast<uint64_t>(offsets[1].get<int64_t>()), expectedBegin);
        }
        QCOMPARE(json.size(), in.size() + (n % 2 ? 1 : 0));
        QCOMPARE(static_cast<uint64_t>(file.size()), 8 + headerLength + expectedBegin);
    }
}

void TestSafetensors::readsHandWrittenFile()
{
    // Built byte by byte per the format description, the way another
    // implementation may write it: keys unsorted, metadata in the middle,
    // whitespace inside the JSON, no padding, and unaligned offsets.
    const QByteArray header =
        "{\"weight\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]},\n"
        " \"__metadata__\": {\"format\": \"pt\", \"source\": \"hand\"},\n"
        " \"bias\": {\"data_offsets\": [16, 20], \"shape\": [2], \"dtype\": \"F16\"},\n"
        " \"flag\": {\"dtype\": \"BOOL\", \"shape\": [3], \"data_offsets\": [20, 23]},\n"
        " \"count\": {\"dtype\": \"I64\", \"shape\": [], \"data_offsets\": [23, 31]},\n"
        " \"bf\": {\"dtype\": \"BF16\", \"shape\": [1, 1], \"data_offsets\": [31, 33]},\n"
        " \"small\": {\"dtype\": \"I16\", \"shape\": [2], \"data_offsets\": [33, 37]},\n"
        " \"wide\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [37, 45]},\n"
        " \"none\": {\"dtype\": \"I32\", \"shape\": [0, 3], \"data_offsets\": [45, 45]},\n"
        " \"u\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [45, 47]},\n"
        " \"i\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [47, 49]}}";
    QByteArray data;
    data += bytes({0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,  // 1.0f, -2.5f
                   0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x40, 0x40}); // 0.5f, 3.0f
    data += bytes({0x00, 0x3C, 0x00, 0xC0});                       // half 1.0, -2.0
    data += bytes({0x01, 0x00, 0x01});                             // true, false, true
    data += bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}); // int64 -2
    data += bytes({0xC0, 0x3F});                                   // bfloat16 1.5
    data += bytes({0x2C, 0x01, 0xFF, 0xFF});                       // int16 300, -1
    data += bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xBF}); // double -1.0
    data += bytes({0xFF, 0x07});                                   // uint8 255, 7
    data += bytes({0x80, 0x7F});                                   // int8 -128, 127
    const QString qpath = m_dir.filePath("hand.safetensors");
    QVERIFY(cosw::test::writeFile(qpath, layout(header, data)));

    Metadata meta;
    const StateDict t = cosw::readSafetensors(qpath.toStdString(), &meta);
    QVERIFY(meta == Metadata({{"format", "pt"}, {"source", "hand"}}));
    QCOMPARE(t.size(), size_t(10));

    QCOMPARE(t.at("weight").scalar_type(), torch::kFloat);
    QVERIFY(t.at("weight").equal(torch::tensor({1.0f, -2.5f, 0.5f, 3.0f}).reshape({2, 2})));
    QCOMPARE(t.at("bias").scalar_type(), torch::kHalf);
    QVERIFY(t.at("bias").equal(torch::tensor({1.0f, -2.0f}).to(torch::kHalf)));
    QCOMPARE(t.at("flag").scalar_type(), torch::kBool);
    QVERIFY(t.at("flag").equal(torch::tensor({true, false, true})));
    QCOMPARE(t.at("count").scalar_type(), torch::kLong);
    QCOMPARE(t.at("count").dim(), int64_t(0));
    QCOMPARE(t.at("count").item<int64_t>(), int64_t(-2));
    QCOMPARE(t.at("bf").scalar_type(), torch::kBFloat16);
    QCOMPARE(t.at("bf").sizes().vec(), std::vector<int64_t>({1, 1}));
    QCOMPARE(t.at("bf").item<float>(), 1.5f);
    QCOMPARE(t.at("small").scalar_type(), torch::kShort);
    QVERIFY(t.at("small").equal(torch::tensor({300, -1}).to(torch::kShort)));
    QCOMPARE(t.at("wide").scalar_type(), torch::kDouble);
    QCOMPARE(t.at("wide").item<double>(), -1.0);
    QCOMPARE(t.at("none").scalar_type(), torch::kInt);
    QCOMPARE(t.at("none").sizes().vec(), std::vector<int64_t>({0, 3}));
    QCOMPARE(t.at("u").scalar_type(), torch::kByte);
    QVERIFY(t.at("u").equal(torch::tensor({255, 7}).to(torch::kByte)));
    QCOMPARE(t.at("i").scalar_type(), torch::kChar);
    QVERIFY(t.at("i").equal(torch::tensor({-128, 127}).to(torch::kChar)));

    // Trailing padding spaces, an empty header object and unused bytes after
    // the last tensor are all legal.
    QVERIFY(cosw::test::writeFile(qpath, layout("{}      ", QByteArray(5, 'x'))));
    QVERIFY(cosw::readSafetensors(qpath.toStdString()).empty());
}

void TestSafetensors::fileApi()
{
    const std::string path = m_dir.filePath("api.safetensors").toStdString();
    cosw::writeSafetensors(path,
                          {{"b", torch::ones({2, 3}, torch::kHalf)},
                           {"a", torch::arange(5, torch::kLong)}},
                          {{"k", "v"}});
    torch::Tensor copied;
    {
        SafetensorsFile file(path);
        QCOMPARE(file.path(), path);
        QCOMPARE(file.names(), std::vector<std::string>({"a", "b"}));
        QVERIFY(file.contains("a"));
        QVERIFY(!file.contains("c"));
        QVERIFY(file.metadata() == Metadata({{"k", "v"}}));
        const SafetensorsFile::Entry &b = file.entry("b");
        QCOMPARE(b.dtype, torch::kHalf);
        QCOMPARE(b.shape, std::vector<int64_t>({2, 3}));
        QCOMPARE(b.end - b.begin, uint64_t(12));

        const std::string msg = thrownMessage<InputError>([&] { file.tensor("missing"); });
        QVERIFY2(startsWith(msg, path), msg.c_str());
        QVERIFY2(msg.find("\"missing\"") != std::string::npos, msg.c_str());

        SafetensorsFile moved(std::move(file));
        copied = moved.tensor("a");
        SafetensorsFile assigned(path);
        assigned = std::move(moved);
        QVERIFY(assigned.tensor("b").equal(torch::ones({2, 3}, torch::kHalf)));
    }
    // The copy owns its memory; the mapping is gone.
    QVERIFY(copied.equal(torch::arange(5, torch::kLong)));
}

void TestSafetensors::writerHandlesViewsAndDevices()
{
    const std::string path = m_dir.filePath("views.safetensors").toStdString();
    torch::Tensor base = torch::randn({4, 4});
    StateDict in;
    in["negated"] = torch::_neg_view(base);
    in["grad"] = torch::randn({3}, torch::requires_grad());
    if (torch::cuda::is_available())
        in["cuda"] = base.to(torch::kCUDA).t();
    QVERIFY(in["negated"].is_neg());
    cosw::writeSafetensors(path, in);
    StateDict out = cosw::readSafetensors(path);
    QVERIFY(out.at("negated").equal(-base));
    QVERIFY(out.at("grad").equal(in["grad"].detach()));
    QVERIFY(!out.at("grad").requires_grad());
    if (torch::cuda::is_available())
        QVERIFY(out.at("cuda").equal(base.t()));
    else
        qInfo("no CUDA device: the device-tensor case was not exercised");
}

void TestSafetensors::writerRefusesBadArguments()
{
    const QString qpath = m_dir.filePath("refused.safetensors");
    const std::string path = qpath.toStdString();
    QFile::remove(qpath);
    std::string msg = thrownMessage<std::invalid_argument>(
        [&] { cosw::writeSafetensors(path, {{"__metadata__", torch::ones({1})}}); });
    QVERIFY2(msg.find("reserved") != std::string::npos, msg.c_str());
    msg = thrownMessage<std::invalid_argument>(
        [&] { cosw::writeSafetensors(path, {{"undefined", torch::Tensor()}}); });
    QVERIFY2(msg.find("\"undefined\"") != std::string::npos, msg.c_str());
    msg = thrownMessage<std::invalid_argument>(
        [&] { cosw::writeSafetensors(path, {{"z", torch::ones({2}, torch::kComplexFloat)}}); });
    QVERIFY2(msg.find("\"z\"") != std::string::npos && msg.find("cannot store") != std::string::npos,
             msg.c_str());
    QVERIFY(!QFile::exists(qpath));
    QVERIFY(!QFile::exists(qpath + ".partial"));
}

void TestSafetensors::writerReportsIoFailure()
{
    const std::string path = m_dir.filePath("no/such/dir/out.safetensors").toStdString();
    const std::string msg = thrownMessage<std::runtime_error>(
        [&] { cosw::writeSafetensors(path, {{"x", torch::ones({1})}}); });
    QVERIFY2(startsWith(msg, path), msg.c_str());
}

void TestSafetensors::refusesMissingFile()
{
    const std::string missing = m_dir.filePath("missing.safetensors").toStdString();
    std::string msg = thrownMessage<InputError>([&] { cosw::readSafetensors(missing); });
    QVERIFY2(startsWith(msg, missing) && msg.find("No such file") != std::string::npos,
             msg.c_str());

    const std::string dir = m_dir.path().toStdString();
    msg = thrownMessage<InputError>([&] { cosw::readSafetensors(dir); });
    QVERIFY2(startsWith(msg, dir) && msg.find("not a regular file") != std::string::npos,
             msg.c_str());
}

void TestSafetensors::refusesTruncatedFile()
{
    const QString qpath = m_dir.filePath("truncated.safetensors");
    const std::string path = qpath.toStdString();
    cosw::writeSafetensors(path,
                          {{"a", torch::randn({16})}, {"b", torch::arange(10, torch::kLong)}},
                          {{"format", "pt"}});
    const QByteArray whole = cosw::test::readFile(qpath);
    const auto headerEnd = static_cast<qsizetype>(8 + readLe64(whole));
    QVERIFY(headerEnd < whole.size());

    const qsizetype cuts[] = {0, 1, 4, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd,
                              headerEnd + 1, headerEnd + 64, whole.size() - 1};
    for (qsizetype cut : cuts) {
        QVERIFY(cosw::test::writeFile(qpath, whole.left(cut)));
        const std::string msg = thrownMessage<InputError>([&] { cosw::readSafetensors(path); });
        const QByteArray context = "cut at " + QByteArray::number(cut) + ": " + msg.c_str();
        QVERIFY2(startsWith(msg, path), context.constData());
        const char *reason = cut < 8 ? "too short"
            : cut < headerEnd        ? "exceeds file size"
                                     : "beyond the end of the data buffer";
        QVERIFY2(msg.find(reason) != std::string::npos, context.constData());
    }
}

void TestSafetensors::refusesMalformed_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("reason");

    const QByteArray f32x4(16, '\0');
    auto tensor = [&](const char *entry) {
        return layout(QByteArray("{\"t\": ") + entry + "}", f32x4);
    };

    QTest::newRow("empty file") << QByteArray() << "too short";
    QTest::newRow("length beyond file") << le64(1000) + "{}" << "header length 1000 exceeds file size 10";
    QTest::newRow("length absurd") << le64(uint64_t(1) << 40) + QByteArray(64, ' ') << "100 MiB";
    QTest::newRow("length all ones") << le64(~uint64_t(0)) + "{}" << "100 MiB";
    QTest::newRow("length zero") << layout("", f32x4) << "not valid JSON";
    QTest::newRow("bad json") << layout("{\"t\": {\"dtype\": \"F32\",", f32x4) << "not valid JSON";
    QTest::newRow("text after json") << layout("{} {}", f32x4) << "not valid JSON";
    QTest::newRow("nul padding") << layout(QByteArray("{}\0\0\0\0\0\0", 8), f32x4)
                                 << "not valid JSON";
    QTest::newRow("header is a list") << layout("[1, 2]", f32x4) << "must be a JSON object";
    QTest::newRow("invalid utf-8") << layout("{\"\xFF\": 1}", f32x4) << "UTF-8";
    QTest::newRow("entry not object") << tensor("3") << "tensor \"t\": expected an object";
    QTest::newRow("missing dtype") << tensor("{\"shape\": [4], \"data_offsets\": [0, 16]}")
                                   << "missing \"dtype\"";
    QTest::newRow("missing shape") << tensor("{\"dtype\": \"F32\", \"data_offsets\": [0, 16]}")
                                   << "missing \"shape\"";
    QTest::newRow("missing offsets") << tensor("{\"dtype\": \"F32\", \"shape\": [4]}")
                                     << "missing \"data_offsets\"";
    QTest::newRow("unknown dtype")
        << tensor("{\"dtype\": \"F8_E4M3\", \"shape\": [16], \"data_offsets\": [0, 16]}")
        << "unknown dtype \"F8_E4M3\"";
    QTest::newRow("lower-case dtype")
        << tensor("{\"dtype\": \"float32\", \"shape\": [4], \"data_offsets\": [0, 16]}")
        << "unknown dtype";
    QTest::newRow("dtype not string")
        << tensor("{\"dtype\": 4, \"shape\": [4], \"data_offsets\": [0, 16]}") << "unknown dtype";
    QTest::newRow("negative dimension")
        << tensor("{\"dtype\": \"F32\", \"shape\": [-1, 4], \"data_offsets\": [0, 16]}")
        << "dimension 0 is -1; dimensions must be non-negative";
    QTest::newRow("fractional dimension")
        << tensor("{\"dtype\": \"F32\", \"shape\": [2, 2.0], \"data_offsets\": [0, 16]}")
        << "dimension 1 is 2.0";
    QTest::newRow("shape not list")
        << tensor("{\"dtype\": \"F32\", \"shape\": 4, \"data_offsets\": [0, 16]}")
        << "shape must be a list";
    QTest::newRow("shape overflows")
        << tensor("{\"dtype\": \"F32\", \"shape\": [4611686018427387904, 8], "
                  "\"data_offsets\": [0, 16]}")
        << "too large";
    QTest::newRow("wrong byte size")
        << tensor("{\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}")
        << "span 12 bytes but shape [2,2] of F32 needs 16";
    QTest::newRow("offsets past end")
        << tensor("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [4, 20]}")
        << "beyond the end of the data buffer (16 bytes)";
    QTest::newRow("offsets reversed")
        << tensor("{\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 0]}")
        << "begin <= end";
    QTest::newRow("offsets negative")
        << tensor("{\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [-8, 0]}")
        << "two integers";
    QTest::newRow("offsets reals")
        << tensor("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0.0, 16.0]}")
        << "two integers";
    QTest::newRow("offsets three")
        << tensor("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16, 32]}")
        << "two integers";
    QTest::newRow("offsets beyond int64")
        << tensor("{\"dtype\": \"F32\", \"shape\": [4], "
                  "\"data_offsets\": [18446744073709551600, 18446744073709551616]}")
        << "two integers";
    QTest::newRow("overlap")
        << layout("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                  " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}",
                  f32x4)
        << "tensors \"a\" [0, 8] and \"b\" [4, 12] overlap";
    QTest::newRow("metadata not string")
        << layout("{\"__metadata__\": {\"format\": \"pt\", \"epoch\": 3}}", f32x4)
        << "__metadata__ \"epoch\": values must be strings, got 3";
    QTest::newRow("metadata not object")
        << layout("{\"__metadata__\": [\"pt\"]}", f32x4) << "__metadata__ must be an object";
}

void TestSafetensors::refusesMalformed()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, reason);
    const QString qpath = m_dir.filePath("malformed.safetensors");
    const std::string path = qpath.toStdString();
    QVERIFY(cosw::test::writeFile(qpath, contents));

    std::string msg = thrownMessage<InputError>([&] { cosw::readSafetensors(path); });
    QVERIFY2(startsWith(msg, path + ": "), msg.c_str());
    QVERIFY2(msg.find(reason.toStdString()) != std::string::npos, msg.c_str());
    // The class reports the same problem as the convenience function.
    QCOMPARE(thrownMessage<InputError>([&] { SafetensorsFile file(path); }), msg);
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
