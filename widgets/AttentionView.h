#pragma once
// The attention visualizer: what each multi-scale visual token of a
// checkpoint attends to on one image. A run's stage checkpoints (or any
// checkpoint directory) and an image from the run's evaluation set (or any
// file) are encoded off the UI thread; every resampler layer and head comes
// back at once, so picking a token, layer, head or scale redraws without
// another forward pass. Side by side, a second checkpoint (the run's other
// stage, or this one token-scaled) shows the same image before and after
// scaling; a window selected on one side frames its children (or parent) on
// the other.

#include "facade/AttentionSession.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <array>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QTabWidget;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace cosw {

class AttentionCanvas;
class AttentionEncoder;
class AttentionTokenModel;

class AttentionView : public QWidget {
    Q_OBJECT
public:
    enum Side { Left, Right };

    explicit AttentionView(QWidget *parent = nullptr);
    ~AttentionView() override;

    void setDatabase(const QString &path);
    // The run whose stage checkpoints and evaluation questions are offered
    // (0: none). Its last checkpoint opens on the left; when an earlier
    // stage kept a checkpoint with a different token count (before token
    // scaling), that one opens on the left and the last on the right.
    void setRun(qint64 runId);
    qint64 run() const { return m_runId; }

    // The left checkpoint.
    void openCheckpoint(const QString &dir);
    // The right side: another checkpoint, or the left one token-scaled
    // (resolution in px, 0: unchanged; window factors), or nothing.
    void compareWithCheckpoint(const QString &dir);
    void compareWithScaled(int resolutionPx, const QList<int> &window);
    void clearComparison();
    void openImage(const QString &path);
    // Asks `question` about the image (the question box's text when empty)
    // of each shown checkpoint: the answer, the language model's attention
    // mass per visual token, and that carried to the image through each
    // token's map, shown instead of the token's map when `showOnImage`.
    // An evaluation image's own question is asked as it opens (not shown on
    // the image until asked for).
    void ask(const QString &question = {}, bool showOnImage = true);
    const AnswerAttribution *answer(Side side = Left) const { return m_answer[side] ? &*m_answer[side] : nullptr; }

    // The selection, shared by both sides: a scale, a window of it on the
    // left and a query of the window; layer (negative from the end) and
    // head (-1: the mean over heads).
    void setScale(int scale);
    void selectWindow(Side side, int window);
    void selectToken(int token); // a left token, as the strip numbers them
    void setQuery(int query);
    void setLayer(int layer);
    void setHead(int head);

    int scale() const { return m_scale; }
    // The token each side shows, or -1.
    int shownToken(Side side) const;
    AttentionCanvas *canvas(Side side) const { return m_canvas[side]; }
    AttentionTokenModel *tokenModel() const { return m_tokens; }
    QListView *tokenStrip() const { return m_strip; }
    std::shared_ptr<const AttentionMaps> maps(Side side) const { return m_maps[side]; }
    bool isComparing() const { return m_comparing; }
    bool isBusy() const;

    // The exports: a file made from a run's own checkpoint is recorded as the
    // run's artifact in the store (artifactRecorded says when).
    // The two pictures side by side, PNG or SVG by the file's suffix.
    bool exportView(const QString &file) const;
    // Every token of the selected scale on the left (AttentionFigures' tokenSheet), PNG.
    bool exportTokenSheet(const QString &file) const;
    // The left side's maps as safetensors (AttentionSession::writeRawMaps).
    bool exportRawMaps(const QString &file) const;

signals:
    // Both shown sides hold the maps of the current image.
    void shown();
    // Every shown side's answer and its attention are shown.
    void answered();
    void failed(const QString &message);
    void artifactRecorded(qint64 runId, const QString &path);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createSourceBar();
    QWidget *createPickerBar();
    QWidget *createExportBar();
    // Records an exported file as the shown run's artifact when the left
    // side shows one of that run's checkpoints; `what` says what it shows.
    void recordExport(const QString &file, const std::string &what) const;
    void open(Side side, const QString &dir, int resolutionPx, const QList<int> &window);
    void onOpened(Side side, const QString &dir, const TokenLayout &layout);
    void onEncoded(Side side, const QString &image, std::shared_ptr<const AttentionMaps> maps);
    void onRunLoaded(qint64 runId, const std::vector<StageCheckpoint> &checkpoints,
                     const std::vector<EvalQuestion> &questions);
    void onAnswered(Side side, const QString &image, const AnswerAttribution &answer);
    void updateAnswerView();
    // The answers' text, bars and pictures for the chosen LM layer.
    void showAnswers();
    int lmLayer() const; // -1: the mean of the layers
    void clearAnswer();
    void askEvalQuestion();
    QWidget *createAnswerBar();
    void onCompareChosen();
    void fillCompareBox();
    void fillPickers();
    // The question of the shown image, when it is one of the run's evaluation images.
    void showQuestion();
    // The first evaluation question about the shown image (with this text
    // when given), or -1.
    int evalQuestionOfImage(const std::string &question = {}) const;
    void applySelection();
    void updateTitles();
    void showError(const QString &message);
    int layerIndex(Side side) const;
    int rightWindow() const;
    // The left window whose children include `window` on the right, or -1.
    int parentWindow(int window) const;

    QString m_database;
    qint64 m_runId = 0;
    std::vector<StageCheckpoint> m_runCheckpoints;
    std::vector<EvalQuestion> m_questions;
    QString m_image;
    std::array<QString, 2> m_checkpoint;
    std::array<QString, 2> m_scalingNote; // "token-scaled: ..." for a scaled side
    std::array<std::shared_ptr<const AttentionMaps>, 2> m_maps;
    std::array<AttentionEncoder *, 2> m_encoder{};
    bool m_comparing = false;

    int m_scale = 0, m_window = 0, m_query = 0, m_layer = -1, m_head = -1;
    int m_rightChosen = -1; // a window clicked on the right, -1: the first child

    std::array<AttentionCanvas *, 2> m_canvas{};
    AttentionTokenModel *m_tokens = nullptr;
    QListView *m_strip = nullptr;
    QComboBox *m_checkpointBox = nullptr, *m_questionBox = nullptr, *m_compareBox = nullptr;
    QComboBox *m_scaleBox = nullptr, *m_layerBox = nullptr, *m_headBox = nullptr, *m_lmLayerBox = nullptr;
    QSpinBox *m_querySpin = nullptr, *m_resolutionSpin = nullptr;
    QLineEdit *m_windowEdit = nullptr;
    QSlider *m_alphaSlider = nullptr;
    QLabel *m_questionLabel = nullptr, *m_tokenLabel = nullptr, *m_answerLabel = nullptr;
    QLineEdit *m_questionEdit = nullptr;
    QPushButton *m_askButton = nullptr;
    QCheckBox *m_showAnswer = nullptr;
    QCustomPlot *m_massPlot = nullptr;
    QTabWidget *m_lower = nullptr;
    std::array<std::optional<AnswerAttribution>, 2> m_answer;
    QProgressBar *m_busy = nullptr;
    QPushButton *m_cancel = nullptr;
    bool m_updatingPickers = false;
    bool m_showAnswerWhenAnswered = true;
};

} // namespace cosw
