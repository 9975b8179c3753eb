#include "replaydialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mcpui {

namespace {

QPlainTextEdit *jsonEdit(bool readOnly, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(readOnly);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}

QString compact(const mcp::Json &value)
{
    return value.is_null() ? QString() : QString::fromUtf8(mcp::dumpCompact(value));
}

} // namespace

ReplayDialog::ReplayDialog(const mcp::Recorder &recorder, int index, mcp::ClientSession *session,
                           QWidget *parent)
    : QDialog(parent), m_session(session)
{
    QString problem;
    m_request = mcp::ReplayRequest::fromRecording(recorder, index, &problem);
    setWindowTitle(m_request ? tr("Replay %1").arg(m_request->method) : tr("Replay"));

    m_params = jsonEdit(false, this);
    m_ignore = new QLineEdit(this);
    m_ignore->setPlaceholderText(tr("paths to ignore, comma-separated: _meta, /content/*/annotations"));
    m_send = new QPushButton(tr("Send"), this);
    m_send->setDefault(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_changes = new QTreeWidget(this);
    m_changes->setHeaderLabels({tr("Change"), tr("Path"), tr("Recorded"), tr("New")});
    m_changes->setRootIsDecorated(false);
    m_changes->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_recorded = jsonEdit(true, this);
    m_replayed = jsonEdit(true, this);

    auto *form = new QFormLayout;
    form->addRow(tr("Params:"), m_params);
    form->addRow(tr("Ignore:"), m_ignore);
    auto *results = new QSplitter(Qt::Horizontal, this);
    auto *recordedBox = new QWidget(results);
    auto *recordedLayout = new QVBoxLayout(recordedBox);
    recordedLayout->setContentsMargins(0, 0, 0, 0);
    recordedLayout->addWidget(new QLabel(tr("Recorded"), recordedBox));
    recordedLayout->addWidget(m_recorded);
    auto *newBox = new QWidget(results);
    auto *newLayout = new QVBoxLayout(newBox);
    newLayout->setContentsMargins(0, 0, 0, 0);
    newLayout->addWidget(new QLabel(tr("New"), newBox));
    newLayout->addWidget(m_replayed);
    results->addWidget(recordedBox);
    results->addWidget(newBox);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_send, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_send, &QPushButton::clicked, this, &ReplayDialog::send);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 2);
    layout->addWidget(m_status);
    layout->addWidget(m_changes, 1);
    layout->addWidget(results, 2);
    layout->addWidget(buttons);
    resize(900, 700);

    if (!m_request) {
        setStatus(problem, true);
        m_send->setEnabled(false);
        m_params->setEnabled(false);
        return;
    }
    m_params->setPlainText(mcp::dumpPretty(m_request->params));
    m_recorded->setPlainText(m_request->recorded.is_null() ? tr("(never answered)")
                                                           : mcp::dumpPretty(m_request->recorded));
    if (!m_session || m_session->state() != mcp::ClientSession::State::Ready)
        setStatus(tr("Not connected: connect to the server to replay this request."), true);
}

void ReplayDialog::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ReplayDialog::send()
{
    if (!m_request)
        return;
    const QByteArray text = m_params->toPlainText().toUtf8();
    const mcp::Json params = mcp::Json::parse(text.begin(), text.end(), nullptr, false);
    if (params.is_discarded() || !params.is_object())
        return setStatus(tr("The params are not a JSON object."), true);
    if (!m_session || m_session->state() != mcp::ClientSession::State::Ready)
        return setStatus(tr("Not connected: connect to the server to replay this request."), true);
    QStringList ignore;
    for (const QString &path : m_ignore->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        ignore << path.trimmed();
    mcp::ReplayRequest request = *m_request;
    request.params = params;
    m_send->setEnabled(false);
    setStatus(tr("Waiting for %1…").arg(request.method), false);
    mcp::replay(
        *m_session, request,
        [this](const mcp::ReplayOutcome &outcome) {
            m_send->setEnabled(true);
            showOutcome(outcome);
            Q_EMIT replayed(outcome);
        },
        ignore, this);
}

void ReplayDialog::showOutcome(const mcp::ReplayOutcome &outcome)
{
    m_changes->clear();
    m_replayed->setPlainText(outcome.outcome.is_null() ? QString() : mcp::dumpPretty(outcome.outcome));
    if (outcome.outcome.is_null())
        return setStatus(tr("No answer: %1").arg(outcome.reply.error.toString()), true);
    for (const mcp::JsonChange &change : outcome.changes)
        new QTreeWidgetItem(m_changes, {mcp::JsonChange::kindName(change.kind),
                                        change.path.isEmpty() ? tr("(whole value)") : change.path,
                                        compact(change.before), compact(change.after)});
    const qsizetype n = outcome.changes.size();
    setStatus(n == 0 ? tr("Same as recorded.") : tr("%n path(s) differ from the recording.", nullptr, int(n)),
              false);
}

} // namespace mcpui
