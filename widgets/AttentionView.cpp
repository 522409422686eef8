#include "AttentionView.h"

#include "AttentionCanvas.h"
#include "AttentionEncoder.h"
#include "AttentionTokenModel.h"

#include "facade/AttentionFigures.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace cosw {

namespace {

// "1,2" -> {1, 2}; empty for an empty text; nullopt for anything else.
std::optional<QList<int>> windowFactors(const QString &text)
{
    QList<int> factors;
    for (const QString &part : text.split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int k = part.trimmed().toInt(&ok);
        if (!ok || k < 1)
            return std::nullopt;
        factors.append(k);
    }
    return factors;
}

QString tokensText(const TokenLayout &layout)
{
    return QObject::tr("%n visual token(s)", nullptr, layout.visualTokens);
}

} // namespace

AttentionView::AttentionView(QWidget *parent) : QWidget(parent)
{
    setAcceptDrops(true);
    for (Side side : {Left, Right}) {
        m_encoder[side] = new AttentionEncoder(this);
        connect(m_encoder[side], &AttentionEncoder::opened, this,
                [this, side](const QString &dir, const TokenLayout &layout) { onOpened(side, dir, layout); });
        connect(m_encoder[side], &AttentionEncoder::encoded, this,
                [this, side](const QString &image, std::shared_ptr<const AttentionMaps> maps) {
                    onEncoded(side, image, std::move(maps));
                });
        connect(m_encoder[side], &AttentionEncoder::failed, this, &AttentionView::showError);
        connect(m_encoder[side], &AttentionEncoder::artifactRecorded, this, &AttentionView::artifactRecorded);
        connect(m_encoder[side], &AttentionEncoder::busyChanged, this, [this] {
            m_busy->setVisible(isBusy());
            m_cancel->setVisible(isBusy());
        });
        m_canvas[side] = new AttentionCanvas;
        m_canvas[side]->setObjectName(side == Left ? "leftCanvas" : "rightCanvas");
        connect(m_canvas[side], &AttentionCanvas::windowClicked, this, [this, side](int w) { selectWindow(side, w); });
    }
    connect(m_encoder[Left], &AttentionEncoder::runLoaded, this, &AttentionView::onRunLoaded);
    // The window under the mouse on the left lights up its tokens in the strip.
    connect(m_canvas[Left], &AttentionCanvas::windowHovered, this, [this](int window) {
        QList<int> tokens;
        const AttentionMaps *maps = m_maps[Left].get();
        if (maps && window >= 0 && m_scale < int(maps->layout.scales.size())) {
            const TokenScaleLayout &s = maps->layout.scales[size_t(m_scale)];
            for (int q = 0; q < s.queries; ++q)
                tokens.append(s.firstToken + s.tokenOf(window, q));
        }
        m_tokens->setHighlighted(tokens);
    });
    for (Side side : {Left, Right})
        connect(m_encoder[side], &AttentionEncoder::answered, this,
                [this, side](const QString &image, const AnswerAttribution &a) { onAnswered(side, image, a); });

    m_tokens = new AttentionTokenModel(this);
    m_strip = new QListView;
    m_strip->setObjectName("tokenStrip");
    m_strip->setModel(m_tokens);
    m_strip->setViewMode(QListView::IconMode);
    m_strip->setFlow(QListView::LeftToRight);
    m_strip->setWrapping(true);
    m_strip->setResizeMode(QListView::Adjust);
    m_strip->setMovement(QListView::Static);
    m_strip->setUniformItemSizes(true);
    m_strip->setIconSize(QSize(48, 48));
    m_strip->setSpacing(2);
    m_strip->setMinimumHeight(64);
    m_strip->installEventFilter(this);
    connect(m_strip->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid() && !m_updatingPickers)
                    selectToken(current.row());
            });

    auto *pictures = new QSplitter(Qt::Horizontal);
    pictures->addWidget(m_canvas[Left]);
    pictures->addWidget(m_canvas[Right]);
    m_canvas[Right]->hide();

    m_questionLabel = new QLabel;
    m_questionLabel->setWordWrap(true);
    m_questionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tokenLabel = new QLabel;
    m_tokenLabel->setObjectName("tokenLabel");

    m_massPlot = new QCustomPlot;
    m_massPlot->setObjectName("answerMass");
    m_massPlot->setMinimumHeight(64);
    m_massPlot->plotLayout()->clear(); // an axis rect per side once answered
    m_lower = new QTabWidget;
    m_lower->addTab(m_strip, tr("Tokens"));
    m_lower->addTab(m_massPlot, tr("Answer's attention per token"));

    auto *body = new QSplitter(Qt::Vertical);
    body->addWidget(pictures);
    body->addWidget(m_lower);
    body->setStretchFactor(0, 2);
    body->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createSourceBar());
    layout->addWidget(m_questionLabel);
    layout->addWidget(createAnswerBar());
    layout->addWidget(createPickerBar());
    layout->addWidget(body, 1);
    layout->addWidget(m_tokenLabel);
    layout->addWidget(createExportBar());
    fillCompareBox();
    for (Side side : {Left, Right})
        m_canvas[side]->setMessage(tr("Pick a run in the run list, or open a checkpoint directory; then an image."));
}

AttentionView::~AttentionView() = default;

QWidget *AttentionView::createSourceBar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout;
    m_checkpointBox = new QComboBox;
    m_checkpointBox->setObjectName("checkpoint");
    m_checkpointBox->setMinimumContentsLength(18);
    connect(m_checkpointBox, &QComboBox::activated, this,
            [this](int i) { openCheckpoint(m_checkpointBox->itemData(i).toString()); });
    auto *openDir = new QPushButton(tr("Directory…"));
    openDir->setToolTip(tr("Open a checkpoint directory"));
    connect(openDir, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a checkpoint"));
        if (!dir.isEmpty())
            openCheckpoint(dir);
    });
    m_questionBox = new QComboBox;
    m_questionBox->setObjectName("question");
    m_questionBox->setMinimumContentsLength(30);
    m_questionBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(m_questionBox, &QComboBox::activated, this, [this](int i) {
        if (i >= 0 && i < int(m_questions.size()))
            openImage(QString::fromStdString(m_questions[size_t(i)].image));
    });
    auto *openFile = new QPushButton(tr("Image…"));
    openFile->setToolTip(tr("Open any image file (or drop one on the view)"));
    connect(openFile, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Open an image"), {},
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.webp)"));
        if (!file.isEmpty())
            openImage(file);
    });

    m_compareBox = new QComboBox;
    m_compareBox->setObjectName("compare");
    m_compareBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_compareBox, &QComboBox::activated, this, &AttentionView::onCompareChosen);
    m_resolutionSpin = new QSpinBox;
    m_resolutionSpin->setObjectName("scaledResolution");
    m_resolutionSpin->setRange(0, 4096);
    m_resolutionSpin->setSpecialValueText(tr("same resolution"));
    m_resolutionSpin->setSuffix(tr(" px"));
    m_windowEdit = new QLineEdit;
    m_windowEdit->setObjectName("scaledWindow");
    m_windowEdit->setPlaceholderText(tr("window factors, e.g. 1,2"));
    m_windowEdit->setMinimumWidth(150);
    for (QWidget *w : {static_cast<QWidget *>(m_resolutionSpin), static_cast<QWidget *>(m_windowEdit)})
        w->setEnabled(false);
    connect(m_resolutionSpin, &QSpinBox::editingFinished, this, &AttentionView::onCompareChosen);
    connect(m_windowEdit, &QLineEdit::editingFinished, this, &AttentionView::onCompareChosen);

    row->addWidget(new QLabel(tr("Checkpoint:")));
    row->addWidget(m_checkpointBox, 1);
    row->addWidget(openDir);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("Image:")));
    row->addWidget(m_questionBox, 2);
    row->addWidget(openFile);

    auto *compare = new QHBoxLayout;
    compare->addWidget(new QLabel(tr("Compare with:")));
    compare->addWidget(m_compareBox);
    compare->addWidget(new QLabel(tr("Scaled to:")));
    compare->addWidget(m_resolutionSpin);
    compare->addWidget(m_windowEdit);
    compare->addStretch(1);
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->addLayout(row);
    rows->addLayout(compare);
    return bar;
}

QWidget *AttentionView::createAnswerBar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout;
    m_questionEdit = new QLineEdit;
    m_questionEdit->setObjectName("askedQuestion");
    m_questionEdit->setPlaceholderText(tr("Ask about the image, e.g. is there a bag?"));
    m_askButton = new QPushButton(tr("Ask"));
    m_askButton->setObjectName("ask");
    connect(m_askButton, &QPushButton::clicked, this, [this] { ask(); });
    connect(m_questionEdit, &QLineEdit::returnPressed, this, [this] { ask(); });
    m_answerLabel = new QLabel;
    m_answerLabel->setObjectName("answer");
    m_answerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lmLayerBox = new QComboBox;
    m_lmLayerBox->setObjectName("lmLayer");
    m_lmLayerBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_lmLayerBox->setToolTip(tr("The language model's layer whose attention is shown, or the mean of its layers"));
    connect(m_lmLayerBox, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updatingPickers && m_answer[Left])
            showAnswers();
    });
    m_showAnswer = new QCheckBox(tr("Answer's attention on the image"));
    m_showAnswer->setObjectName("showAnswer");
    m_showAnswer->setEnabled(false);
    m_showAnswer->setToolTip(tr("The language model's attention while it produced the answer, averaged over its heads "
                                "and layers, carried to the image through each visual token's map. Attention "
                                "weights, not a causal attribution."));
    connect(m_showAnswer, &QCheckBox::toggled, this, [this] { updateAnswerView(); });
    row->addWidget(new QLabel(tr("Question:")));
    row->addWidget(m_questionEdit, 1);
    row->addWidget(m_askButton);
    row->addWidget(new QLabel(tr("LM layer:")));
    row->addWidget(m_lmLayerBox);
    row->addWidget(m_showAnswer);
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->addLayout(row);
    rows->addWidget(m_answerLabel);
    return bar;
}

QWidget *AttentionView::createPickerBar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_scaleBox = new QComboBox;
    m_scaleBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_scaleBox->setObjectName("scale");
    connect(m_scaleBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (!m_updatingPickers && i >= 0)
            setScale(i);
    });
    m_layerBox = new QComboBox;
    m_layerBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_layerBox->setObjectName("layer");
    connect(m_layerBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (!m_updatingPickers && i >= 0)
            setLayer(i);
    });
    m_headBox = new QComboBox;
    m_headBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_headBox->setObjectName("head");
    connect(m_headBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (!m_updatingPickers && i >= 0)
            setHead(i - 1);
    });
    m_querySpin = new QSpinBox;
    m_querySpin->setObjectName("query");
    connect(m_querySpin, &QSpinBox::valueChanged, this, [this](int q) {
        if (!m_updatingPickers)
            setQuery(q - 1);
    });
    m_alphaSlider = new QSlider(Qt::Horizontal);
    m_alphaSlider->setObjectName("opacity");
    m_alphaSlider->setRange(0, 100);
    m_alphaSlider->setValue(60);
    m_alphaSlider->setMaximumWidth(140);
    connect(m_alphaSlider, &QSlider::valueChanged, this, [this](int v) {
        for (AttentionCanvas *c : m_canvas)
            c->setAlpha(v / 100.0);
    });
    row->addWidget(new QLabel(tr("Scale:")));
    row->addWidget(m_scaleBox);
    row->addWidget(new QLabel(tr("Layer:")));
    row->addWidget(m_layerBox);
    row->addWidget(new QLabel(tr("Head:")));
    row->addWidget(m_headBox);
    row->addWidget(new QLabel(tr("Query in window:")));
    row->addWidget(m_querySpin);
    row->addWidget(new QLabel(tr("Opacity:")));
    row->addWidget(m_alphaSlider);
    row->addStretch(1);
    return bar;
}

QWidget *AttentionView::createExportBar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->setFormat(tr("Encoding…"));
    m_busy->hide();
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        for (AttentionEncoder *e : m_encoder)
            e->cancel();
    });
    auto exportButton = [&](const QString &text, const QString &filter, auto exporter) {
        auto *button = new QPushButton(text);
        connect(button, &QPushButton::clicked, this, [this, text, filter, exporter] {
            const QString file = QFileDialog::getSaveFileName(this, text, {}, filter);
            if (!file.isEmpty() && !(this->*exporter)(file))
                QMessageBox::warning(this, text, tr("Could not write %1.").arg(file));
        });
        row->addWidget(button);
    };
    row->addWidget(m_busy);
    row->addWidget(m_cancel);
    row->addStretch(1);
    exportButton(tr("Export view…"), tr("PNG image (*.png);;SVG drawing (*.svg)"), &AttentionView::exportView);
    exportButton(tr("Export token sheet…"), tr("PNG image (*.png)"), &AttentionView::exportTokenSheet);
    exportButton(tr("Export raw maps…"), tr("safetensors (*.safetensors)"), &AttentionView::exportRawMaps);
    return bar;
}

void AttentionView::setDatabase(const QString &path) { m_database = path; }

void AttentionView::setRun(qint64 runId)
{
    if (runId == m_runId)
        return;
    m_runId = runId;
    m_runCheckpoints.clear();
    m_questions.clear();
    m_checkpointBox->clear();
    m_questionBox->clear();
    fillCompareBox();
    if (runId > 0 && !m_database.isEmpty())
        m_encoder[Left]->loadRun(m_database, runId);
}

void AttentionView::onRunLoaded(qint64 runId, const std::vector<StageCheckpoint> &checkpoints,
                                const std::vector<EvalQuestion> &questions)
{
    if (runId != m_runId)
        return;
    m_runCheckpoints = checkpoints;
    m_questions = questions;
    m_checkpointBox->clear();
    for (const StageCheckpoint &c : checkpoints)
        m_checkpointBox->addItem(tr("%1 (%n token(s))", nullptr, c.visualTokens).arg(QString::fromStdString(c.stageName)),
                                 QString::fromStdString(c.path));
    fillCompareBox();
    m_questionBox->clear();
    for (size_t i = 0; i < questions.size(); ++i) {
        const EvalQuestion &q = questions[i];
        m_questionBox->addItem(tr("#%1 [%2] %3").arg(i + 1).arg(QString::fromStdString(q.type),
                                                                   QString::fromStdString(q.question)));
    }
    if (checkpoints.empty()) {
        showError(tr("Run %1 kept no checkpoint at the end of a stage.").arg(runId));
        return;
    }
    // Before and after token scaling: the last checkpoint, and the latest
    // earlier one with another token count.
    const StageCheckpoint &last = checkpoints.back();
    const StageCheckpoint *before = nullptr;
    for (const StageCheckpoint &c : checkpoints)
        if (c.visualTokens != last.visualTokens)
            before = &c;
    openCheckpoint(QString::fromStdString((before ? *before : last).path));
    if (before)
        compareWithCheckpoint(QString::fromStdString(last.path));
    else
        clearComparison();
    if (m_image.isEmpty() && !questions.empty()) {
        openImage(QString::fromStdString(questions.front().image));
    } else {
        showQuestion();
        askEvalQuestion();
    }
}

void AttentionView::open(Side side, const QString &dir, int resolutionPx, const QList<int> &window)
{
    m_checkpoint[side] = dir;
    m_maps[side].reset();
    m_encoder[side]->open(dir, resolutionPx, window);
    if (!m_image.isEmpty())
        m_encoder[side]->encode(m_image);
    // An evaluation image's question is answered by whatever is shown now.
    askEvalQuestion();
}

void AttentionView::openCheckpoint(const QString &dir)
{
    clearAnswer();
    m_scalingNote[Left].clear();
    open(Left, dir, 0, {});
    const int index = m_checkpointBox->findData(dir);
    if (index >= 0)
        m_checkpointBox->setCurrentIndex(index);
    // A scaled comparison follows the checkpoint it scales.
    if (m_comparing && !m_scalingNote[Right].isEmpty())
        compareWithScaled(m_resolutionSpin->value(), windowFactors(m_windowEdit->text()).value_or(QList<int>{}));
}

void AttentionView::fillCompareBox()
{
    m_compareBox->clear();
    m_compareBox->addItem(tr("Nothing"));
    for (const StageCheckpoint &c : m_runCheckpoints)
        m_compareBox->addItem(tr("%1 (%n token(s))", nullptr, c.visualTokens).arg(QString::fromStdString(c.stageName)),
                              QString::fromStdString(c.path));
    m_compareBox->addItem(tr("This checkpoint, token-scaled"), QStringLiteral("scaled"));
}

void AttentionView::compareWithCheckpoint(const QString &dir)
{
    m_comparing = true;
    m_scalingNote[Right].clear();
    m_rightChosen = -1;
    m_canvas[Right]->show();
    const int index = m_compareBox->findData(dir);
    if (index >= 0)
        m_compareBox->setCurrentIndex(index);
    open(Right, dir, 0, {});
}

void AttentionView::compareWithScaled(int resolutionPx, const QList<int> &window)
{
    m_comparing = true;
    m_rightChosen = -1;
    QStringList factors;
    for (int k : window)
        factors << QString::number(k);
    m_scalingNote[Right] = tr("token-scaled: %1 px, window × %2")
                               .arg(resolutionPx > 0 ? QString::number(resolutionPx) : tr("same"),
                                    factors.isEmpty() ? QStringLiteral("1") : factors.join(','));
    m_canvas[Right]->show();
    const int index = m_compareBox->findData(QStringLiteral("scaled"));
    if (index >= 0)
        m_compareBox->setCurrentIndex(index);
    m_resolutionSpin->setValue(resolutionPx);
    m_windowEdit->setText(factors.join(','));
    open(Right, m_checkpoint[Left], resolutionPx, window);
}

void AttentionView::clearComparison()
{
    m_comparing = false;
    m_maps[Right].reset();
    m_checkpoint[Right].clear();
    m_canvas[Right]->hide();
    m_compareBox->setCurrentIndex(0);
    askEvalQuestion();
    applySelection();
}

void AttentionView::onCompareChosen()
{
    const QString data = m_compareBox->currentData().toString();
    const bool scaled = data == QLatin1String("scaled");
    m_resolutionSpin->setEnabled(scaled);
    m_windowEdit->setEnabled(scaled);
    if (data.isEmpty()) {
        clearComparison();
    } else if (!scaled) {
        compareWithCheckpoint(data);
    } else if (!m_checkpoint[Left].isEmpty()) {
        const auto window = windowFactors(m_windowEdit->text());
        if (!window)
            showError(tr("Window factors: whole numbers of at least 1, one for every scale or one per scale "
                         "(e.g. 2 or 1,2)."));
        else
            compareWithScaled(m_resolutionSpin->value(), *window);
    }
}

void AttentionView::openImage(const QString &path)
{
    m_image = path;
    clearAnswer();
    showQuestion();
    for (Side side : {Left, Right})
        if (!m_checkpoint[side].isEmpty()) {
            m_maps[side].reset();
            m_encoder[side]->encode(path);
        }
    askEvalQuestion();
}

int AttentionView::evalQuestionOfImage(const std::string &question) const
{
    const QFileInfo image(m_image);
    for (size_t i = 0; i < m_questions.size(); ++i)
        if (QFileInfo(QString::fromStdString(m_questions[i].image)) == image
            && (question.empty() || m_questions[i].question == question))
            return int(i);
    return -1;
}

void AttentionView::showQuestion()
{
    const int question = evalQuestionOfImage();
    m_questionBox->setCurrentIndex(question);
    if (question >= 0) {
        const EvalQuestion &q = m_questions[size_t(question)];
        m_questionEdit->setText(QString::fromStdString(q.question));
        m_questionLabel->setText(tr("<b>Question</b> (%1): %2 &nbsp; <b>Reference answer:</b> %3")
                                     .arg(QString::fromStdString(q.type).toHtmlEscaped(),
                                          QString::fromStdString(q.question).toHtmlEscaped(),
                                          QString::fromStdString(q.answer).toHtmlEscaped()));
    } else {
        m_questionLabel->setText(m_image.isEmpty() ? QString() : tr("<b>Image:</b> %1").arg(m_image.toHtmlEscaped()));
    }
}

void AttentionView::ask(const QString &question, bool showOnImage)
{
    const QString text = question.isEmpty() ? m_questionEdit->text().trimmed() : question;
    if (text.isEmpty() || m_image.isEmpty() || m_checkpoint[Left].isEmpty())
        return;
    clearAnswer();
    m_showAnswerWhenAnswered = showOnImage;
    m_questionEdit->setText(text);
    m_answerLabel->setText(tr("Asking…"));
    for (Side side : {Left, Right})
        if (side == Left || m_comparing)
            m_encoder[side]->ask(m_image, text);
}

void AttentionView::askEvalQuestion()
{
    if (const int question = evalQuestionOfImage(); question >= 0)
        ask(QString::fromStdString(m_questions[size_t(question)].question), false);
}

void AttentionView::clearAnswer()
{
    for (auto &a : m_answer)
        a.reset();
    if (m_answerLabel) {
        m_answerLabel->clear();
        m_showAnswer->setEnabled(false);
        m_showAnswer->setChecked(false);
        m_lmLayerBox->clear();
        m_massPlot->clearPlottables();
        m_massPlot->plotLayout()->clear();
        m_massPlot->replot();
    }
    for (AttentionCanvas *canvas : m_canvas)
        canvas->setCustomMap({}, {});
}

void AttentionView::onAnswered(Side side, const QString &image, const AnswerAttribution &answer)
{
    if (image != m_image)
        return;
    m_answer[side] = answer;
    if (!m_answer[Left] || (m_comparing && !m_answer[Right]))
        return; // both sides answer before anything is shown
    m_updatingPickers = true;
    m_lmLayerBox->clear();
    m_lmLayerBox->addItem(tr("Mean of %n layer(s)", nullptr, answer.lmLayers));
    for (int l = 0; l < answer.lmLayers; ++l)
        m_lmLayerBox->addItem(QString::number(l + 1));
    m_updatingPickers = false;
    m_showAnswer->setEnabled(true);
    m_showAnswer->setChecked(m_showAnswerWhenAnswered);
    showAnswers();
    emit answered();
}

int AttentionView::lmLayer() const { return m_lmLayerBox->currentIndex() - 1; }

void AttentionView::showAnswers()
{
    const int lm = lmLayer();
    const AnswerAttribution &answer = *m_answer[Left];
    QString reference;
    if (const int question = evalQuestionOfImage(answer.question); question >= 0)
        reference = tr(" (reference: %1)").arg(QString::fromStdString(m_questions[size_t(question)].answer).toHtmlEscaped());
    QStringList answers;
    for (Side s : {Left, Right})
        if (m_answer[s])
            answers << tr("%1<b>%2</b>, %3 of its attention on the image")
                           .arg(m_comparing ? (s == Left ? tr("left: ") : tr("right: ")) : QString(),
                                QString::fromStdString(m_answer[s]->answer).toHtmlEscaped(),
                                QLocale().toString(100.0 * m_answer[s]->visualShare(lm), 'f', 1) + QLocale().percent());
    m_answerLabel->setText(tr("Answer%1: %2").arg(reference, answers.join(QStringLiteral("; "))));

    // The mass on each visual token, one bar series per scale; one chart per side.
    m_massPlot->clearPlottables();
    m_massPlot->plotLayout()->clear();
    int row = 0;
    for (Side s : {Left, Right}) {
        const AttentionMaps *maps = m_maps[s].get();
        if (!m_answer[s] || !maps)
            continue;
        auto *rect = new QCPAxisRect(m_massPlot);
        m_massPlot->plotLayout()->addElement(row++, 0, rect);
        rect->axis(QCPAxis::atBottom)->setLabel(
            tr("%1: visual token (scales coarse to fine)").arg(s == Left ? tr("left") : tr("right")));
        rect->axis(QCPAxis::atLeft)->setLabel(tr("attention"));
        const std::vector<float> mass = m_answer[s]->visualMass(lm);
        for (size_t k = 0; k < maps->layout.scales.size(); ++k) {
            const TokenScaleLayout &scale = maps->layout.scales[k];
            QVector<double> x, y;
            for (int t = 0; t < scale.tokens() && scale.firstToken + t < int(mass.size()); ++t) {
                x.append(scale.firstToken + t + 1);
                y.append(mass[size_t(scale.firstToken + t)]);
            }
            auto *bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            bars->setName(tr("scale %1").arg(k + 1));
            bars->setData(x, y);
            bars->setWidth(0.8);
            const QColor colour = AttentionTokenModel::scaleColour(int(k));
            bars->setBrush(colour);
            bars->setPen(QPen(colour.darker(130)));
            bars->rescaleAxes();
        }
        rect->axis(QCPAxis::atLeft)->setRangeLower(0);
    }
    m_massPlot->replot();
    updateAnswerView();
}

void AttentionView::updateAnswerView()
{
    for (Side side : {Left, Right}) {
        const AttentionMaps *maps = m_maps[side].get();
        if (!m_answer[side] || !maps || !m_showAnswer->isChecked())
            m_canvas[side]->setCustomMap({}, {});
        else
            m_canvas[side]->setCustomMap(answerPatchMap(*m_answer[side], lmLayer(), *maps, layerIndex(side), m_head),
                                         tr("answer's attention, scaled to its peak"));
    }
}

void AttentionView::onOpened(Side side, const QString &dir, const TokenLayout &layout)
{
    if (dir != m_checkpoint[side])
        return;
    if (!layout.hasAttention)
        m_canvas[side]->setMessage(tr("The %1 connector attends to nothing: its %2 come from one feature cell "
                                      "each, so there are no maps to show.")
                                       .arg(QString::fromStdString(layout.connector), tokensText(layout)));
}

void AttentionView::onEncoded(Side side, const QString &image, std::shared_ptr<const AttentionMaps> maps)
{
    if (image != m_image)
        return;
    m_maps[side] = maps;
    m_canvas[side]->setMaps(maps);
    if (!maps->layout.hasAttention)
        onOpened(side, m_checkpoint[side], maps->layout);
    if (side == Left) {
        m_tokens->setMaps(maps);
        fillPickers();
    }
    applySelection();
    if (m_maps[Left] && (!m_comparing || m_maps[Right]))
        emit shown();
}

void AttentionView::fillPickers()
{
    const AttentionMaps *left = m_maps[Left].get();
    if (!left)
        return;
    m_updatingPickers = true;
    m_scaleBox->clear();
    for (size_t s = 0; s < left->layout.scales.size(); ++s) {
        const TokenScaleLayout &scale = left->layout.scales[s];
        m_scaleBox->addItem(tr("%1: %2×%2 windows × %3 queries = %4")
                                .arg(s + 1)
                                .arg(scale.windows)
                                .arg(scale.queries)
                                .arg(scale.tokens()));
    }
    m_layerBox->clear();
    for (int l = 0; l < left->layers; ++l)
        m_layerBox->addItem(l == left->layers - 1 ? tr("%1 (last)").arg(l + 1) : QString::number(l + 1));
    m_headBox->clear();
    m_headBox->addItem(tr("Mean of %n head(s)", nullptr, left->heads));
    for (int h = 0; h < left->heads; ++h)
        m_headBox->addItem(QString::number(h + 1));
    m_scale = std::clamp(m_scale, 0, std::max(0, int(left->layout.scales.size()) - 1));
    m_updatingPickers = false;
}

int AttentionView::layerIndex(Side side) const
{
    const AttentionMaps *maps = m_maps[side].get();
    if (!maps || maps->layers == 0)
        return -1;
    const int layer = m_layer < 0 ? maps->layers + m_layer : m_layer;
    return std::clamp(layer, 0, maps->layers - 1);
}

int AttentionView::rightWindow() const
{
    const AttentionMaps *left = m_maps[Left].get(), *right = m_maps[Right].get();
    if (!left || !right || m_scale >= int(right->layout.scales.size()))
        return -1;
    if (m_rightChosen >= 0)
        return m_rightChosen;
    const std::vector<int> children = childWindows(left->layout, right->layout, m_scale, m_window);
    return children.empty() ? -1 : children.front();
}

int AttentionView::parentWindow(int window) const
{
    const AttentionMaps *left = m_maps[Left].get(), *right = m_maps[Right].get();
    const int g = left->layout.scales[size_t(m_scale)].windows;
    for (int w = 0; w < g * g; ++w) {
        const std::vector<int> children = childWindows(left->layout, right->layout, m_scale, w);
        if (std::find(children.begin(), children.end(), window) != children.end())
            return w;
    }
    return -1;
}

int AttentionView::shownToken(Side side) const
{
    const AttentionMaps *maps = m_maps[side].get();
    if (!maps || !maps->layout.hasAttention || m_scale >= int(maps->layout.scales.size()))
        return -1;
    const TokenScaleLayout &s = maps->layout.scales[size_t(m_scale)];
    const int window = side == Left ? m_window : rightWindow();
    if (window < 0 || window >= s.windows * s.windows)
        return -1;
    return s.firstToken + s.tokenOf(window, std::min(m_query, s.queries - 1));
}

void AttentionView::applySelection()
{
    const AttentionMaps *left = m_maps[Left].get();
    if (left && left->layout.hasAttention) {
        const TokenScaleLayout &s = left->layout.scales[size_t(m_scale)];
        m_window = std::clamp(m_window, 0, s.windows * s.windows - 1);
        m_query = std::clamp(m_query, 0, s.queries - 1);
        m_updatingPickers = true;
        m_scaleBox->setCurrentIndex(m_scale);
        m_layerBox->setCurrentIndex(layerIndex(Left));
        m_headBox->setCurrentIndex(m_head + 1);
        m_querySpin->setRange(1, s.queries);
        m_querySpin->setValue(m_query + 1);
        m_tokens->setLayerAndHead(layerIndex(Left), m_head);
        const int token = shownToken(Left);
        m_strip->setCurrentIndex(m_tokens->index(token));
        m_updatingPickers = false;
    }
    for (Side side : {Left, Right}) {
        AttentionCanvas *canvas = m_canvas[side];
        const int scale = m_maps[side] && m_scale < int(m_maps[side]->layout.scales.size()) ? m_scale : 0;
        canvas->setSelection(scale, shownToken(side), layerIndex(side), m_head);
        QList<int> related;
        if (m_comparing && m_maps[Left] && m_maps[Right] && m_scale < int(m_maps[Right]->layout.scales.size())) {
            if (side == Right)
                for (int w : childWindows(m_maps[Left]->layout, m_maps[Right]->layout, m_scale, m_window))
                    related.append(w);
            else
                related.append(m_window);
        }
        canvas->setRelatedWindows(side == Right ? related : QList<int>{});
    }
    if (m_answer[Left])
        updateAnswerView();
    updateTitles();
}

void AttentionView::updateTitles()
{
    for (Side side : {Left, Right}) {
        const AttentionMaps *maps = m_maps[side].get();
        QString title = QFileInfo(m_checkpoint[side]).fileName();
        for (const StageCheckpoint &c : m_runCheckpoints)
            if (QString::fromStdString(c.path) == m_checkpoint[side])
                title = tr("%1 (stage %2)").arg(QString::fromStdString(c.stageName)).arg(c.stage);
        if (!m_scalingNote[side].isEmpty())
            title += QStringLiteral(", ") + m_scalingNote[side];
        if (maps)
            title += tr(" — %1 at %2 px").arg(tokensText(maps->layout)).arg(maps->layout.resolution);
        m_canvas[side]->setTitle(title);
    }
    const int token = shownToken(Left);
    const AttentionMaps *left = m_maps[Left].get();
    if (token < 0 || !left) {
        m_tokenLabel->clear();
        return;
    }
    const TokenScaleLayout &s = left->layout.scales[size_t(m_scale)];
    QString text = tr("Token %1 of %2: scale %3, window row %4, column %5 of %6×%6, query %7 of %8; layer %9")
                       .arg(token + 1)
                       .arg(left->layout.visualTokens)
                       .arg(m_scale + 1)
                       .arg(m_window / s.windows + 1)
                       .arg(m_window % s.windows + 1)
                       .arg(s.windows)
                       .arg(m_query + 1)
                       .arg(s.queries)
                       .arg(layerIndex(Left) + 1);
    text += m_head < 0 ? tr(", mean of the heads") : tr(", head %1").arg(m_head + 1);
    if (left->layout.hasAttention)
        text += tr("; reads %1 of its window's %2 cells, as if evenly (the scale's median: %3)")
                    .arg(QLocale().toString(double(left->spread(layerIndex(Left), m_head, token)), 'f', 1))
                    .arg(left->layout.cellsPerWindow(m_scale))
                    .arg(QLocale().toString(double(scaleSpread(*left, layerIndex(Left), m_head, m_scale).median), 'f', 1));
    if (m_comparing && shownToken(Right) >= 0)
        text += tr(". Right: token %1 (window %2, dashed: all windows inside the left one)")
                    .arg(shownToken(Right) + 1)
                    .arg(rightWindow() + 1);
    m_tokenLabel->setText(text);
}

void AttentionView::setScale(int scale)
{
    if (!m_maps[Left] || scale < 0 || scale >= int(m_maps[Left]->layout.scales.size()))
        return;
    m_scale = scale;
    m_window = 0;
    m_query = 0;
    m_rightChosen = -1;
    applySelection();
}

void AttentionView::selectWindow(Side side, int window)
{
    if (side == Right) {
        const int parent = parentWindow(window);
        if (parent < 0)
            return;
        m_window = parent;
        m_rightChosen = window;
    } else {
        m_window = window;
        m_rightChosen = -1;
    }
    applySelection();
}

void AttentionView::selectToken(int token)
{
    if (m_showAnswer->isChecked() && !m_updatingPickers && token != shownToken(Left))
        m_showAnswer->setChecked(false);
    const AttentionMaps *left = m_maps[Left].get();
    if (!left || token < 0 || token >= left->layout.visualTokens)
        return;
    m_scale = left->layout.scaleOf(token);
    const TokenScaleLayout &s = left->layout.scales[size_t(m_scale)];
    m_window = s.windowOf(token - s.firstToken);
    m_query = s.queryOf(token - s.firstToken);
    m_rightChosen = -1;
    applySelection();
}

void AttentionView::setQuery(int query)
{
    m_query = query;
    applySelection();
}

void AttentionView::setLayer(int layer)
{
    m_layer = layer;
    applySelection();
}

void AttentionView::setHead(int head)
{
    m_head = head;
    applySelection();
}

bool AttentionView::isBusy() const { return m_encoder[Left]->isBusy() || m_encoder[Right]->isBusy(); }

void AttentionView::showError(const QString &message)
{
    m_tokenLabel->setText(message);
    emit failed(message);
}

bool AttentionView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_strip && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            setScale(m_scale + (key == Qt::Key_PageDown ? 1 : -1));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void AttentionView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void AttentionView::dropEvent(QDropEvent *event)
{
    const QString file = event->mimeData()->urls().front().toLocalFile();
    if (!file.isEmpty())
        openImage(file);
}

bool AttentionView::exportView(const QString &file) const
{
    QList<AttentionCanvas *> shownCanvases{m_canvas[Left]};
    if (m_comparing)
        shownCanvases.append(m_canvas[Right]);
    QSize cell = m_canvas[Left]->size();
    if (cell.width() < 300 || cell.height() < 260)
        cell = QSize(520, 460); // never shown: a size that reads well on a page
    const QSize total(cell.width() * int(shownCanvases.size()), cell.height());
    auto paint = [&](QPainter &painter) {
        for (int i = 0; i < shownCanvases.size(); ++i) {
            painter.save();
            painter.translate(i * cell.width(), 0);
            shownCanvases[i]->render(painter, cell);
            painter.restore();
        }
    };
    if (QFileInfo(file).suffix().toLower() == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(total);
        svg.setViewBox(QRect(QPoint(0, 0), total));
        svg.setTitle(tr("Attention maps"));
        QPainter painter;
        if (!painter.begin(&svg))
            return false;
        paint(painter);
        if (!painter.end())
            return false;
        recordExport(file, "attention view of " + m_image.toStdString());
        return true;
    }
    QImage image(total, QImage::Format_RGB32);
    image.fill(palette().window().color());
    QPainter painter(&image);
    paint(painter);
    painter.end();
    if (!image.save(file, "PNG"))
        return false;
    recordExport(file, "attention view of " + m_image.toStdString());
    return true;
}

bool AttentionView::exportTokenSheet(const QString &file) const
{
    const AttentionMaps *left = m_maps[Left].get();
    if (!left || !left->layout.hasAttention)
        return false;
    try {
        writePng(tokenSheet(*left, layerIndex(Left), m_head, m_scale, m_alphaSlider->value() / 100.0), file.toStdString());
        recordExport(file, "token sheet of scale " + std::to_string(m_scale) + " of " + m_image.toStdString());
        return true;
    } catch (const std::exception &) {
        return false;
    }
}

bool AttentionView::exportRawMaps(const QString &file) const
{
    const AttentionMaps *left = m_maps[Left].get();
    if (!left)
        return false;
    try {
        AttentionSession::writeRawMaps(file.toStdString(), *left,
                                       {{"checkpoint", m_checkpoint[Left].toStdString()}, {"image", m_image.toStdString()}},
                                       answer());
        recordExport(file, "attention maps of " + m_image.toStdString() + " ("
                               + std::to_string(left->layout.visualTokens) + " visual tokens)");
        return true;
    } catch (const std::exception &) {
        return false;
    }
}

void AttentionView::recordExport(const QString &file, const std::string &what) const
{
    if (m_runId <= 0 || m_database.isEmpty())
        return;
    const std::string checkpoint = m_checkpoint[Left].toStdString();
    const bool runs = std::any_of(m_runCheckpoints.begin(), m_runCheckpoints.end(),
                                  [&](const StageCheckpoint &c) { return c.path == checkpoint; });
    if (runs)
        m_encoder[Left]->recordArtifact(m_database, m_runId,
                                        {"attention-map", QFileInfo(file).absoluteFilePath().toStdString(), what, 0});
}

} // namespace cosw
