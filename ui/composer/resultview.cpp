#include "resultview.h"

#include "common/plaintext.h"
#include "largeresult.h"
#include "schema/schemavalidator.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QMessageBox>
#include <QMetaMethod>
#include <QMimeDatabase>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTimer>
#include <QVBoxLayout>
#include <atomic>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace mcpui {

using mcp::Json;

namespace {

// A read-only text block as tall as its content, so the whole result scrolls as one page.
QPlainTextEdit *textBlock(const QString &text, bool monospace, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(text, parent);
    edit->setReadOnly(true);
    edit->setObjectName(QStringLiteral("resultText"));
    if (monospace)
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(monospace ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
    const int lines = qBound(1, int(text.count(QLatin1Char('\n'))) + 1, 20);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 2 * edit->frameWidth() + 10);
    return edit;
}

// obj[key] by reference when it has the type of `like`, else an empty value of that type: a 60 MB text or
// a content array is read in place, not copied as valueOr() would.
const Json &member(const Json &obj, const char *key, Json::value_t like)
{
    static const Json emptyArray = Json::array();
    static const Json emptyString = "";
    if (obj.is_object())
        if (const auto it = obj.find(key); it != obj.end() && it->type() == like)
            return *it;
    return like == Json::value_t::array ? emptyArray : emptyString;
}

// glibc keeps the freed nodes of a parsed result of a million objects (hundreds of MB) as resident memory
// until told otherwise; after a large result arrives or goes, they are handed back.
void releaseFreedMemory(QObject *context)
{
#ifdef __GLIBC__
    // Later than the reply's parsed JSON is gone and the first screen painted: the trim takes a while.
    QTimer::singleShot(500, context, [] { malloc_trim(0); });
#else
    Q_UNUSED(context);
#endif
}

std::atomic<qsizetype> g_largeResultBytes{ResultView::DefaultLargeResultBytes};

QString describeSize(qsizetype bytes)
{
    return QLocale().formattedDataSize(bytes);
}

} // namespace

qsizetype ResultView::largeResultBytes()
{
    return g_largeResultBytes;
}

void ResultView::setLargeResultBytes(qsizetype bytes)
{
    g_largeResultBytes = qMax<qsizetype>(1024, bytes);
}

ResultView::ResultView(QWidget *parent)
    : QScrollArea(parent), m_body(new QWidget), m_layout(new QVBoxLayout(m_body))
{
    setWidgetResizable(true);
    setWidget(m_body);
    m_layout->addStretch();
}

void ResultView::clear()
{
    if (m_hasLarge)
        releaseFreedMemory(this);
    m_hasLarge = false;
    while (m_layout->count() > 1) {
        QLayoutItem *item = m_layout->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_texts.clear();
}

void ResultView::showError(const QString &message)
{
    clear();
    addBanner(message, true);
}

void ResultView::showNote(const QString &message)
{
    clear();
    addCaption(message);
}

void ResultView::showToolResult(const Json &result, const Json &outputSchema, const QByteArray &frame)
{
    clear();
    if (mcp::valueOr(result, "isError", false))
        addBanner(tr("The tool reported an error"), true);
    for (const Json &block : member(result, "content", Json::value_t::array))
        addContent(block);
    if (result.contains("structuredContent")) {
        addCaption(tr("Structured content"));
        const mcp::ByteRange range = mcp::findJsonMember(frame, {"result", "structuredContent"});
        const bool large = range.size > largeResultBytes();
        if (large) {
            addLarge(new LargeResult(LargeResult::Kind::Json, frame, range, m_body));
            if (outputSchema.is_object()) // validating a million objects would hold the window for seconds
                addBanner(tr("Not checked against the tool's output schema: the content is larger than %1")
                              .arg(describeSize(largeResultBytes())),
                          false);
        } else {
            addJson(result["structuredContent"]);
        }
        if (outputSchema.is_object() && !large) {
            using Status = mcp::schema::ValidationResult::Status;
            const auto check = mcp::schema::validate(result["structuredContent"], outputSchema);
            const QString lines = check.lines().join(QLatin1Char('\n'));
            if (check.status == Status::Valid)
                addCaption(tr("✓ Matches the tool's output schema"));
            else if (check.status == Status::Invalid)
                addBanner(tr("Does not match the tool's output schema:\n%1").arg(lines), true);
            else
                addBanner(tr("Not fully checked against the tool's output schema (no error in what was "
                             "checked):\n%1")
                              .arg(lines),
                          false);
        }
    } else if (outputSchema.is_object() && !mcp::valueOr(result, "isError", false)) {
        addBanner(tr("The tool declares an output schema but returned no structured content"), true);
    }
}

void ResultView::showResourceContents(const Json &result)
{
    clear();
    for (const Json &resource : mcp::valueOr(result, "contents", Json::array()))
        addResource(resource);
}

void ResultView::showPromptMessages(const Json &result)
{
    clear();
    if (const QString d = mcp::stringOr(result, "description"); !d.isEmpty())
        addCaption(d);
    for (const Json &message : mcp::valueOr(result, "messages", Json::array())) {
        addCaption(mcp::stringOr(message, "role", tr("message")));
        addContent(mcp::valueOr(message, "content", Json::object()));
    }
}

void ResultView::addBanner(const QString &text, bool error)
{
    auto *label = new QLabel(text, m_body);
    label->setObjectName(error ? QStringLiteral("errorBanner") : QStringLiteral("banner"));
    label->setTextFormat(Qt::PlainText); // errors quote what the server said
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(
        error ? QStringLiteral(
                    "QLabel { background: #c62828; color: white; padding: 6px; border-radius: 3px; }")
              : QStringLiteral("QLabel { padding: 6px; }"));
    m_layout->insertWidget(m_layout->count() - 1, label);
    m_texts << text;
}

void ResultView::addCaption(const QString &text)
{
    auto *label = new QLabel(text, m_body);
    label->setTextFormat(Qt::PlainText); // a prompt's or a result's description: the server's words
    label->setWordWrap(true);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    m_layout->insertWidget(m_layout->count() - 1, label);
    m_texts << text;
}

void ResultView::addLarge(LargeResult *large)
{
    connect(large, &LargeResult::openInTrafficRequested, this, &ResultView::openInTrafficRequested);
    large->offerTraffic(isSignalConnected(QMetaMethod::fromSignal(&ResultView::openInTrafficRequested)));
    m_layout->insertWidget(m_layout->count() - 1, large, 1);
    m_texts << large->bannerText();
    m_hasLarge = true;
    releaseFreedMemory(this);
}

void ResultView::addText(const std::string &text)
{
    if (qsizetype(text.size()) > largeResultBytes()) {
        QByteArray bytes = QByteArray::fromStdString(text);
        const mcp::ByteRange all{0, bytes.size()};
        addLarge(new LargeResult(LargeResult::Kind::Text, std::move(bytes), all, m_body));
        return;
    }
    addText(QString::fromStdString(text));
}

void ResultView::addText(const QString &text)
{
    m_layout->insertWidget(m_layout->count() - 1, textBlock(text, false, m_body));
    m_texts << text;
}

void ResultView::addJson(const Json &json)
{
    const QString text = mcp::dumpPretty(json);
    m_layout->insertWidget(m_layout->count() - 1, textBlock(text, true, m_body));
    m_texts << text;
}

void ResultView::addContent(const Json &block)
{
    const QString type = mcp::stringOr(block, "type");
    if (type == QLatin1String("text")) {
        addText(member(block, "text", Json::value_t::string).get_ref<const std::string &>());
    } else if (type == QLatin1String("image")) {
        addImage(mcp::stringOr(block, "data").toLatin1(), mcp::stringOr(block, "mimeType"));
    } else if (type == QLatin1String("audio")) {
        addAudio(mcp::stringOr(block, "data").toLatin1(), mcp::stringOr(block, "mimeType"));
    } else if (type == QLatin1String("resource_link")) {
        const QString uri = mcp::stringOr(block, "uri");
        auto *label =
            new QLabel(QStringLiteral("🔗 <a href=\"%1\">%2</a> <span style=\"color:gray\">%3</span>")
                           .arg(uri.toHtmlEscaped(), mcp::stringOr(block, "name", uri).toHtmlEscaped(),
                                mcp::stringOr(block, "description").toHtmlEscaped()),
                       m_body);
        label->setObjectName(QStringLiteral("resourceLink"));
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextBrowserInteraction);
        label->setOpenExternalLinks(false);
        label->setToolTip(plainToolTip(uri));
        m_layout->insertWidget(m_layout->count() - 1, label);
        m_texts << uri;
    } else if (type == QLatin1String("resource")) {
        addResource(mcp::valueOr(block, "resource", Json::object()));
    } else {
        addCaption(tr("Unknown content type \"%1\"").arg(type));
        addJson(block);
    }
}

void ResultView::addResource(const Json &resource)
{
    const QString mime = mcp::stringOr(resource, "mimeType");
    addCaption(QStringLiteral("%1%2").arg(mcp::stringOr(resource, "uri"),
                                          mime.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(mime)));
    if (resource.contains("text")) {
        addText(member(resource, "text", Json::value_t::string).get_ref<const std::string &>());
        return;
    }
    const QByteArray blob = mcp::stringOr(resource, "blob").toLatin1();
    if (mime.startsWith(QLatin1String("image/")))
        addImage(blob, mime);
    else if (mime.startsWith(QLatin1String("audio/")))
        addAudio(blob, mime);
    else
        addText(tr("Binary content, %1").arg(describeSize(QByteArray::fromBase64(blob).size())));
}

void ResultView::addImage(const QByteArray &base64, const QString &mimeType)
{
    QPixmap pixmap;
    auto *label = new QLabel(m_body);
    if (pixmap.loadFromData(QByteArray::fromBase64(base64))) {
        pixmap.setDevicePixelRatio(devicePixelRatioF());
        label->setPixmap(pixmap);
        label->setObjectName(QStringLiteral("resultImage"));
        label->setToolTip(QStringLiteral("%1, %2×%3").arg(mimeType).arg(pixmap.width()).arg(pixmap.height()));
        m_texts << QStringLiteral("[image %1]").arg(mimeType);
    } else {
        label->setText(tr("Could not decode the %1 image").arg(mimeType));
        m_texts << label->text();
    }
    m_layout->insertWidget(m_layout->count() - 1, label, 0, Qt::AlignLeft);
}

void ResultView::addAudio(const QByteArray &base64, const QString &mimeType)
{
    const QByteArray data = QByteArray::fromBase64(base64);
    auto *row = new QWidget(m_body);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    const QString text = tr("Audio (%1, %2)").arg(mimeType, describeSize(data.size()));
    layout->addWidget(new QLabel(text, row));
    auto *save = new QPushButton(tr("Save…"), row);
    save->setObjectName(QStringLiteral("saveAudio"));
    connect(save, &QPushButton::clicked, this, [this, data, mimeType] {
        const QString suffix = QMimeDatabase().mimeTypeForName(mimeType).preferredSuffix();
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save Audio"),
            suffix.isEmpty() ? QStringLiteral("audio") : QStringLiteral("audio.") + suffix);
        if (path.isEmpty())
            return;
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
            QMessageBox::warning(this, tr("Save Audio"),
                                 tr("Could not save %1: %2").arg(path, file.errorString()));
    });
    layout->addWidget(save);
    layout->addStretch();
    m_layout->insertWidget(m_layout->count() - 1, row);
    m_texts << text;
}

} // namespace mcpui
