#include "jsonview.h"

#include "jsonhighlighter.h"
#include "jsonrpc/message.h"
#include "jsontreemodel.h"
#include "traffic/jsonindent.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QThread>
#include <QTreeView>
#include <QVBoxLayout>

namespace mcpui {

using mcp::Json;

QString formatDataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

JsonView::JsonView(QWidget *parent) : QTabWidget(parent), m_model(new JsonTreeModel(this))
{
    setDocumentMode(true);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("jsonText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter = highlightJson(m_text->document());

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("truncationNotice"));
    m_showAll = new QPushButton(this);
    m_showAll->setObjectName(QStringLiteral("showAll"));
    connect(m_showAll, &QPushButton::clicked, this, &JsonView::showAll);
    m_truncationBar = new QWidget(this);
    auto *bar = new QHBoxLayout(m_truncationBar);
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_notice, 1);
    bar->addWidget(m_showAll);
    m_truncationBar->hide();

    auto *textPage = new QWidget(this);
    auto *layout = new QVBoxLayout(textPage);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_truncationBar);
    layout->addWidget(m_text, 1);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("jsonTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->resizeSection(JsonTreeModel::Key, fontMetrics().averageCharWidth() * 28);
    m_tree->header()->resizeSection(JsonTreeModel::Value, fontMetrics().averageCharWidth() * 60);

    addTab(textPage, tr("Text"));
    addTab(m_tree, tr("Tree"));
}

JsonView::~JsonView() = default;

QString JsonView::text() const
{
    return m_text->toPlainText();
}

void JsonView::setJson(const QByteArray &bytes)
{
    ++m_generation;
    m_bytes = bytes;
    bool cut = false;
    const QByteArray shown = mcp::indentJson(bytes, m_limit, &cut);
    m_truncated = cut;
    m_text->clear();
    if (!m_highlighter) // "Show all" of a huge payload had switched it off
        m_highlighter = highlightJson(m_text->document());
    m_text->setPlainText(QString::fromUtf8(shown) + (cut ? QStringLiteral("\n…") : QString()));
    m_truncationBar->setVisible(cut);
    m_showAll->setEnabled(true);
    if (cut) {
        m_notice->setText(
            tr("Showing the first %1 of %2.").arg(formatDataSize(m_limit), formatDataSize(bytes.size())));
        m_showAll->setText(tr("Show all (%1)").arg(formatDataSize(bytes.size())));
        setTree(nullptr);
        return;
    }
    const Json json = mcp::jsonrpc::parseJson(bytes); // depth-limited: the tree recurses
    setTree(json.is_discarded() ? nullptr : std::make_shared<const Json>(json));
}

void JsonView::setTree(std::shared_ptr<const Json> json)
{
    const bool has = bool(json);
    m_model->setJson(std::move(json));
    m_tree->expandToDepth(1);
    setTabEnabled(TreeTab, has);
    setTabToolTip(TreeTab, has           ? QString()
                           : m_truncated ? tr("Show all to browse the whole payload as a tree")
                                         : tr("Not valid JSON"));
}

void JsonView::showAll()
{
    if (!m_truncated)
        return;
    m_showAll->setEnabled(false);
    m_notice->setText(tr("Formatting %1…").arg(formatDataSize(m_bytes.size())));
    struct Result
    {
        QByteArray text;
        std::shared_ptr<const Json> json;
    };
    auto result = std::make_shared<Result>();
    const QByteArray bytes = m_bytes; // shared, not copied
    QThread *worker = QThread::create([bytes, result] {
        result->text = mcp::indentJson(bytes);
        Json json = mcp::jsonrpc::parseJson(bytes);
        if (!json.is_discarded())
            result->json = std::make_shared<const Json>(std::move(json));
    });
    const quint64 generation = m_generation;
    connect(worker, &QThread::finished, this, [this, result, generation] {
        if (generation != m_generation)
            return;
        // Highlighting tens of MB would block the GUI for long: the whole text is shown plain.
        delete m_highlighter;
        m_text->setPlainText(QString::fromUtf8(result->text));
        m_truncated = false;
        m_truncationBar->hide();
        setTree(result->json);
        Q_EMIT shownAll();
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start(QThread::LowPriority);
}

void JsonView::changeEvent(QEvent *event)
{
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) &&
        m_highlighter)
        m_highlighter = highlightJson(m_text->document()); // colours follow the theme
    QTabWidget::changeEvent(event);
}

} // namespace mcpui
