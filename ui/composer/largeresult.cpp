#include "largeresult.h"

#include "common/jsonview.h"

#include <QByteArrayMatcher>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QThread>
#include <QVBoxLayout>

namespace mcpui {

namespace {

constexpr qsizetype SearchChunkBytes = 4 * 1024 * 1024; // the cancel flag is read between chunks
constexpr qsizetype ContextBytes = 512;                 // shown before a match

// Where `needle` first occurs in hay at or after `from`, reading chunk by chunk; -2 when cancelled.
qsizetype findInChunks(QByteArrayView hay, const QByteArray &needle, qsizetype from,
                       const std::atomic_bool &cancel)
{
    const QByteArrayMatcher matcher(needle);
    for (qsizetype at = from; at < hay.size(); at += SearchChunkBytes) {
        if (cancel.load(std::memory_order_relaxed))
            return -2;
        // Chunks overlap by the needle's length less one, so a match across a border is found.
        const qsizetype end = qMin(hay.size(), at + SearchChunkBytes + needle.size() - 1);
        const qsizetype hit = matcher.indexIn(hay.sliced(at, end - at));
        if (hit >= 0)
            return at + hit;
    }
    return -1;
}

} // namespace

LargeResult::LargeResult(Kind kind, QByteArray data, mcp::ByteRange range, QWidget *parent)
    : QWidget(parent), m_kind(kind), m_data(std::move(data)), m_range(range)
{
    setObjectName(QStringLiteral("largeResult"));
    if (m_kind == Kind::Text)
        m_lines = payload().count('\n') + 1;
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("largeResultBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); padding: 6px; }"));

    m_more = new QPushButton(tr("Show More"), this);
    m_more->setObjectName(QStringLiteral("showMore"));
    connect(m_more, &QPushButton::clicked, this, &LargeResult::showMore);
    m_traffic = new QPushButton(tr("Open in Traffic"), this);
    m_traffic->setObjectName(QStringLiteral("openInTraffic"));
    m_traffic->setToolTip(tr("The whole frame in the traffic detail, with its tree"));
    connect(m_traffic, &QPushButton::clicked, this, &LargeResult::openInTrafficRequested);
    auto *saveButton = new QPushButton(tr("Save…"), this);
    saveButton->setObjectName(QStringLiteral("saveResult"));
    connect(saveButton, &QPushButton::clicked, this, &LargeResult::save);
    m_find = new QLineEdit(this);
    m_find->setObjectName(QStringLiteral("searchResult"));
    m_find->setPlaceholderText(tr("Search the whole result (Enter: next)"));
    m_find->setClearButtonEnabled(true);
    connect(m_find, &QLineEdit::returnPressed, this, [this] { search(m_find->text()); });
    m_cancelSearch = new QPushButton(tr("Cancel"), this);
    m_cancelSearch->setObjectName(QStringLiteral("cancelSearch"));
    m_cancelSearch->hide();
    connect(m_cancelSearch, &QPushButton::clicked, this, &LargeResult::cancelSearch);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_more);
    bar->addWidget(m_find, 1);
    bar->addWidget(m_cancelSearch);
    bar->addWidget(m_status);
    bar->addWidget(m_traffic);
    bar->addWidget(saveButton);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("resultText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setMinimumHeight(m_text->fontMetrics().lineSpacing() * 24);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);
    showRange(0, PageBytes);
}

LargeResult::~LargeResult()
{
    cancelSearch();
}

QString LargeResult::bannerText() const
{
    const QString size = formatDataSize(m_range.size);
    const QString what = m_kind == Kind::Text
                             ? tr("A large text result: %1, %2 lines.").arg(size, QLocale().toString(m_lines))
                             : tr("Large structured content: %1 of JSON.").arg(size);
    return m_shown >= m_range.size ? tr("%1 Shown whole.").arg(what)
                                   : tr("%1 Showing the first %2.").arg(what, formatDataSize(m_shown));
}

// Shows payload[from, to): a text page cut after its last whole line, JSON re-indented without parsing.
void LargeResult::showRange(qsizetype from, qsizetype to)
{
    const QByteArrayView all = payload();
    to = qMin(to, all.size());
    QByteArrayView page = all.sliced(from, to - from);
    if (to < all.size() && m_kind == Kind::Text) {
        const qsizetype lastLine = page.lastIndexOf('\n');
        if (lastLine > page.size() / 2)
            page = page.first(lastLine);
    }
    const QByteArray shown = m_kind == Kind::Json ? mcp::indentJson(page.toByteArray()) : page.toByteArray();
    m_text->setPlainText(QString::fromUtf8(shown));
    if (from == 0)
        m_shown = from + page.size();
    m_more->setEnabled(from > 0 || m_shown < all.size());
    m_banner->setText(bannerText());
}

void LargeResult::showMore()
{
    showRange(0, m_shown + PageBytes);
}

void LargeResult::search(const QString &needleText)
{
    const QByteArray needle = needleText.toUtf8();
    cancelSearch();
    if (needle.isEmpty())
        return;
    const qsizetype from = needle == m_lastNeedle && m_lastMatch >= 0 ? m_lastMatch + 1 : 0;
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    m_cancelSearch->show();
    m_status->setText(tr("Searching %1…").arg(formatDataSize(m_range.size)));
    struct Found
    {
        qsizetype offset = -1;
        qsizetype line = 0; // 1-based, of a match in a text
    };
    auto found = std::make_shared<Found>();
    const QByteArray data = m_data; // shared: the search reads it even if this view goes first
    const mcp::ByteRange range = m_range;
    QThread *worker = QThread::create([data, range, needle, from, cancel, found] {
        const QByteArrayView hay = QByteArrayView(data).sliced(range.begin, range.size);
        found->offset = findInChunks(hay, needle, from, *cancel);
        if (found->offset >= 0)
            found->line = hay.first(found->offset).count('\n') + 1;
    });
    connect(worker, &QThread::finished, this, [this, cancel, found, needle] {
        if (m_cancel != cancel) // an older search, cancelled and replaced
            return;
        m_cancel.reset();
        m_cancelSearch->hide();
        onFound(found->offset, found->line, needle);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start(QThread::LowPriority);
}

void LargeResult::cancelSearch()
{
    if (!m_cancel)
        return;
    m_cancel->store(true);
    m_cancel.reset();
    m_cancelSearch->hide();
    m_status->setText(tr("Search cancelled"));
    Q_EMIT searchFinished(-2);
}

// Where the page around a match starts: at the match's line (a text), or at the object that holds it (JSON:
// the last "{" after ",", "[" or ":" shortly before it, so that indenting starts outside any string).
static qsizetype pageStart(QByteArrayView all, qsizetype offset, LargeResult::Kind kind)
{
    const qsizetype lo = qMax<qsizetype>(0, offset - ContextBytes);
    const QByteArrayView before = all.sliced(lo, offset - lo);
    if (kind == LargeResult::Kind::Text) {
        const qsizetype line = before.lastIndexOf('\n');
        return line >= 0 ? lo + line + 1 : offset;
    }
    for (qsizetype i = before.size() - 1; i > 0; --i)
        if (before[i] == '{' && (before[i - 1] == ',' || before[i - 1] == '[' || before[i - 1] == ':'))
            return lo + i;
    return offset;
}

void LargeResult::onFound(qsizetype offset, qsizetype line, const QByteArray &needle)
{
    if (offset == -2) {
        m_status->setText(tr("Search cancelled"));
    } else if (offset < 0) {
        m_status->setText(m_lastNeedle == needle && m_lastMatch >= 0 ? tr("No further match")
                                                                     : tr("Not found"));
        m_lastMatch = -1;
    } else {
        m_lastNeedle = needle;
        m_lastMatch = offset;
        const qsizetype from = pageStart(payload(), offset, m_kind);
        showRange(from, from + PageBytes);
        m_text->find(QString::fromUtf8(needle));
        m_status->setText(m_kind == Kind::Text ? tr("Found at line %1").arg(QLocale().toString(line))
                                               : tr("Found at byte %1").arg(QLocale().toString(offset)));
    }
    Q_EMIT searchFinished(offset);
}

bool LargeResult::saveTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    const QByteArrayView bytes = payload();
    if (file.open(QIODevice::WriteOnly) && file.write(bytes.data(), bytes.size()) == bytes.size() &&
        file.commit())
        return true;
    *error = file.errorString();
    return false;
}

void LargeResult::offerTraffic(bool offer)
{
    m_traffic->setVisible(offer);
}

void LargeResult::save()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Result"),
                                                      m_kind == Kind::Json ? QStringLiteral("result.json")
                                                                           : QStringLiteral("result.txt"));
    QString error;
    if (!path.isEmpty() && !saveTo(path, &error))
        QMessageBox::warning(this, tr("Save Result"), tr("Could not save %1: %2").arg(path, error));
}

} // namespace mcpui
