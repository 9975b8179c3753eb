#include "busybar.h"

#include "connections/connection.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace mcpui {

mcp::RequestOptions progressReported()
{
    mcp::RequestOptions options;
    options.reportProgress = true;
    return options;
}

BusyBar::BusyBar(Connection *connection, QWidget *parent) : QWidget(parent), m_connection(connection)
{
    setObjectName(QStringLiteral("busyBar"));
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_message = new QLabel(this);
    m_message->setTextFormat(Qt::PlainText); // the server's words
    m_message->setEnabled(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_message, 1);
    layout->addWidget(m_cancel);

    connect(m_cancel, &QPushButton::clicked, this, &BusyBar::cancel);
    connect(connection, &Connection::progress, this,
            [this](qint64 id, double progress, double total, const QString &message) {
                if (id == m_requestId)
                    showRequestProgress(m_progress, m_message, progress, total, message);
            });
    hide();
}

void BusyBar::track(qint64 requestId)
{
    m_requestId = requestId;
    m_progress->setRange(0, 0); // busy until the first progress notification
    m_message->clear();
    show();
}

void BusyBar::finish()
{
    m_requestId = -1;
    hide();
}

void BusyBar::cancel()
{
    const qint64 id = m_requestId;
    finish();
    if (id >= 0 && m_connection->session())
        m_connection->session()->cancel(id, tr("cancelled by the user"));
}

void showRequestProgress(QProgressBar *bar, QLabel *message, double progress, double total,
                         const QString &text)
{
    if (total > 0) {
        bar->setRange(0, 1000);
        bar->setValue(int(1000 * qBound(0.0, progress / total, 1.0)));
        bar->setFormat(QStringLiteral("%1 / %2").arg(progress).arg(total));
    } else {
        bar->setRange(0, 0);
    }
    message->setText(text);
}

} // namespace mcpui
