// The dependency rule of docs/ARCHITECTURE.md, read off the sources' include
// lines: the engine's folders include only the folders below them, nothing
// in core/ includes Qt, and no widget or window source reaches LibTorch
// through any chain of includes (a widget must compile in seconds). Also read
// off the sources: no child process is started through a shell.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

namespace {

QString sourceRoot()
{
    return QDir(qEnvironmentVariable("COS_SOURCE_DIR")).absolutePath();
}

struct Include {
    QString text;   // as written between the quotes or brackets
    bool quoted;    // "..." rather than <...>
};

QList<Include> includesOf(const QString &path)
{
    static const QRegularExpression line(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])",
                                         QRegularExpression::MultilineOption);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QList<Include> out;
    auto it = line.globalMatch(QString::fromUtf8(f.readAll()));
    while (it.hasNext()) {
        const auto m = it.next();
        out.push_back({m.captured(2), m.captured(1) == "\""});
    }
    return out;
}

// The project file a quoted include names: beside the includer, else under
// core/ (the engine's include root), else under the source root.
QString resolve(const QString &includer, const QString &text)
{
    for (const QString &base : {QFileInfo(includer).absolutePath(), sourceRoot() + "/core", sourceRoot()}) {
        const QString candidate = QDir::cleanPath(base + "/" + text);
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return {};
}

QStringList sourcesUnder(const QString &folder)
{
    QStringList out;
    QDirIterator it(sourceRoot() + "/" + folder, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    out.sort();
    return out;
}

QString relative(const QString &path)
{
    return QDir(sourceRoot()).relativeFilePath(path);
}

// The engine's folders, lowest first: each may include only itself and
// the folders before it.
const QStringList kEngineOrder = {"base", "text", "model", "optim", "io", "scaling", "bench"};

} // namespace

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    void engineFoldersIncludeOnlyTheFoldersBelow()
    {
        QStringList violations;
        for (int rank = 0; rank < kEngineOrder.size(); ++rank) {
            const QStringList files = sourcesUnder("core/" + kEngineOrder[rank]);
            QVERIFY2(!files.isEmpty(), qPrintable("no sources in core/" + kEngineOrder[rank]));
            for (const QString &file : files)
                for (const Include &inc : includesOf(file)) {
                    if (!inc.quoted)
                        continue;
                    const QString target = resolve(file, inc.text);
                    QVERIFY2(!target.isEmpty(), qPrintable(relative(file) + ": cannot find " + inc.text));
                    const QString folder = relative(target).section('/', 1, 1);
                    const int targetRank = kEngineOrder.indexOf(folder);
                    if (!relative(target).startsWith("core/") || targetRank < 0 || targetRank > rank)
                        violations << relative(file) + " includes " + relative(target);
                }
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join("\n")));
    }

    void coreIncludesNoQt()
    {
        QStringList violations;
        for (const QString &file : sourcesUnder("core"))
            for (const Include &inc : includesOf(file))
                if (!inc.quoted && inc.text.startsWith('Q'))
                    violations << relative(file) + " includes <" + inc.text + ">";
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join("\n")));
    }

    void widgetsNeverReachLibTorch()
    {
        // Every project header a widget or window source reaches, with the
        // chain that got there, until one includes a LibTorch header.
        QStringList violations;
        QStringList sources = sourcesUnder("widgets");
        sources << sourcesUnder("app/cos-workbench");
        QVERIFY(sources.size() > 5);
        for (const QString &source : sources) {
            QMap<QString, QString> chain{{source, relative(source)}};
            QStringList todo{source};
            while (!todo.isEmpty()) {
                const QString file = todo.takeFirst();
                for (const Include &inc : includesOf(file)) {
                    if (!inc.quoted) {
                        if (inc.text.startsWith("torch/") || inc.text.startsWith("ATen/") || inc.text.startsWith("c10/"))
                            violations << chain[file] + " -> <" + inc.text + ">";
                        continue;
                    }
                    const QString target = resolve(file, inc.text);
                    if (target.isEmpty() || chain.contains(target))
                        continue; // generated headers (ui_, moc) are not in the tree
                    chain[target] = chain[file] + " -> " + relative(target);
                    todo << target;
                }
            }
        }
        violations.removeDuplicates();
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join("\n")));
    }

    // Child processes (training runs from the desktop's queue, ranks, help
    // tools) start from a program and a list of arguments, never from a
    // command line a shell parses: a run name, a path or a config value with
    // spaces, quotes or `;` is one argument, never a command.
    void childProcessesTakeArgumentLists()
    {
        // (Plain literals: moc does not read raw strings with quotes inside.)
        static const QRegularExpression shell(QStringList{
            "\\bstd::system\\s*\\(", "(^|[^:\\w.])system\\s*\\(", "\\bpopen\\s*\\(", "\\bstartCommand\\s*\\(",
            "\\bexecl[pe]?\\s*\\(", "\"/bin/(ba|da)?sh\"", "\"(ba|da)?sh\"\\s*,",
            "QProcess::execute\\s*\\(\\s*\"[^\"]*\\s"}.join('|'));
        QStringList violations;
        QStringList sources;
        for (const QString &folder : {"core", "widgets", "app"})
            sources << sourcesUnder(folder);
        QVERIFY(sources.size() > 50);
        for (const QString &file : sources) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            int number = 0;
            for (const QByteArray &line : f.readAll().split('\n')) {
                ++number;
                const QString text = QString::fromUtf8(line);
                if (!text.trimmed().startsWith("//") && shell.match(text).hasMatch())
                    violations << QString("%1:%2: %3").arg(relative(file)).arg(number).arg(text.trimmed());
            }
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.join("\n")));
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "tst_layers.moc"
