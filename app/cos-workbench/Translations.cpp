#include "Translations.h"

#include "base/Messages.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <algorithm>

namespace cosw {

QList<UiLanguage> shippedLanguages()
{
    return {{QStringLiteral("en"), QStringLiteral("English")},
            {QStringLiteral("de"), QStringLiteral("Deutsch")},
            {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
}

bool isShippedLanguage(const QString &code)
{
    const QList<UiLanguage> languages = shippedLanguages();
    return code.isEmpty() || std::any_of(languages.begin(), languages.end(),
                                         [&code](const UiLanguage &l) { return l.code == code; });
}

QString installTranslations(QCoreApplication &app, const QString &code)
{
    const QLocale wanted = code.isEmpty() ? QLocale() : QLocale(code);
    auto *ours = new QTranslator(&app);
    if (!ours->load(wanted, "cos-workbench", "_", ":/i18n")
        && !ours->load(QLocale(QLocale::English), "cos-workbench", "_", ":/i18n")) {
        delete ours;
        return {};
    }
    QCoreApplication::installTranslator(ours);
    const QString loaded = ours->language();
    // Qt's strings in the same language; none is needed (nor shipped) for English.
    auto *qts = new QTranslator(&app);
    if (!loaded.startsWith("en") && qts->load(QLocale(loaded), "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qts);
    else
        delete qts;
    return loaded;
}

void shareLanguageWithEngine(const QString &code)
{
    if (!code.isEmpty()) {
        qputenv("LANGUAGE", code.toUtf8());
        // gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is the same
        // locale for everything else.
        const char *variable = qEnvironmentVariableIsEmpty("LC_ALL") ? "LC_MESSAGES" : "LC_ALL";
        QByteArray current = qgetenv(variable);
        if (current.isEmpty() && !qstrcmp(variable, "LC_MESSAGES"))
            current = qgetenv("LANG");
        if (current.isEmpty() || current == "C" || current == "POSIX")
            qputenv(variable, "C.UTF-8");
    }
    initMessages();
}

} // namespace cosw
