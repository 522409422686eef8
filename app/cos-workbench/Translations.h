#pragma once
// The languages the workbench ships and loading one: our strings from the
// program's resources, Qt's own (dialog buttons, file dialogs) from Qt's.

#include <QList>
#include <QString>

class QCoreApplication;

namespace cosw {

struct UiLanguage {
    QString code;       // what Settings and --language store: en, de, zh_CN
    QString nativeName; // as speakers of the language write it, never translated
};

QList<UiLanguage> shippedLanguages();

// True for an empty code (the system's languages) and for every shipped one.
bool isShippedLanguage(const QString &code);

// Installs the translators of `code` on the application; an empty code
// follows the system's languages, falling back to English, whose file holds
// the plural forms ("1 token", "80 tokens") the source strings leave open.
// Returns the language loaded.
QString installTranslations(QCoreApplication &app, const QString &code);

// The engine's messages (its errors, shown in dialogs) and the cos-batch
// runs started from the window speak the window's language: a chosen
// `code` goes into LANGUAGE, which the children inherit; an empty one leaves
// the system's. Then binds the engine's catalogues.
void shareLanguageWithEngine(const QString &code);

} // namespace cosw
