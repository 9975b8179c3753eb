#include "trafficactions.h"

#include "replaydialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QWidget>

namespace mcpui {

TrafficActions::TrafficActions(mcp::Recorder *recorder, Selection selection, QWidget *parent)
    : QObject(parent), m_recorder(recorder), m_selection(std::move(selection)), m_parent(parent)
{
    auto copier = [this](QString (TrafficActions::*text)() const) {
        return [this, text] { QApplication::clipboard()->setText((this->*text)()); };
    };
    m_copyJson = new QAction(tr("Copy as JSON"), this);
    m_copyMcpwb = new QAction(tr("Copy as mcpwb Command"), this);
    m_copyCurl = new QAction(tr("Copy as curl"), this);
    m_replay = new QAction(tr("Replay…"), this);
    m_copyMcpwb->setToolTip(tr("A command line that sends the request again (secrets redacted)"));
    m_copyCurl->setToolTip(tr("A curl command that POSTs the frame (HTTP connections; secrets redacted)"));
    m_replay->setToolTip(
        tr("Send the request again, edited or not, and compare the result with the recorded one"));
    connect(m_copyJson, &QAction::triggered, this, copier(&TrafficActions::jsonText));
    connect(m_copyMcpwb, &QAction::triggered, this, copier(&TrafficActions::mcpwbText));
    connect(m_copyCurl, &QAction::triggered, this, copier(&TrafficActions::curlText));
    connect(m_replay, &QAction::triggered, this, &TrafficActions::replay);
    update();
}

void TrafficActions::addTo(QWidget *menuOrToolBar) const
{
    menuOrToolBar->addActions({m_copyJson, m_copyMcpwb, m_copyCurl, m_replay});
}

int TrafficActions::requestOf(int index) const
{
    const mcp::FrameRecord &f = m_recorder->at(index);
    return f.kind == mcp::jsonrpc::Kind::Request || f.pairedIndex < 0 ? index : f.pairedIndex;
}

std::optional<mcp::CopyTarget> TrafficActions::target(int index) const
{
    const std::optional<mcp::TransportConfig> transport =
        m_transport ? m_transport(m_recorder->at(index).connection) : std::nullopt;
    if (!transport)
        return std::nullopt;
    return mcp::CopyTarget::fromRecording(*m_recorder, index, *transport);
}

QString TrafficActions::joined(const std::function<QString(int index)> &text) const
{
    QStringList parts;
    for (int index : m_selection()) {
        const QString part = text(index);
        if (!part.isEmpty() && !parts.contains(part)) // a request and its response select one command
            parts << part;
    }
    return parts.join(QLatin1Char('\n'));
}

QString TrafficActions::jsonText() const
{
    return joined([this](int index) { return mcp::copyas::json(m_recorder->at(index).bytes); });
}

QString TrafficActions::mcpwbText() const
{
    return joined([this](int index) {
        const int request = requestOf(index);
        const auto t = target(request);
        return t ? mcp::copyas::mcpwbCommand(m_recorder->at(request).bytes, *t) : QString();
    });
}

QString TrafficActions::curlText() const
{
    return joined([this](int index) {
        const int request = requestOf(index);
        const auto t = target(request);
        return t ? mcp::copyas::curlCommand(m_recorder->at(request).bytes, *t) : QString();
    });
}

void TrafficActions::update()
{
    const std::vector<int> selection = m_selection();
    bool requests = false, curl = false;
    for (int index : selection) {
        const int request = requestOf(index);
        const mcp::FrameRecord &f = m_recorder->at(request);
        if (f.kind != mcp::jsonrpc::Kind::Request || f.direction != mcp::Direction::Sent)
            continue;
        const auto t = target(request);
        requests |= t.has_value();
        curl |= t && mcp::copyas::curlApplies(t->transport);
    }
    m_copyJson->setEnabled(!selection.empty());
    m_copyMcpwb->setEnabled(requests);
    m_copyCurl->setEnabled(curl);
    const int current = selection.empty() ? -1 : requestOf(selection.front());
    m_replay->setEnabled(m_session && current >= 0 &&
                         m_recorder->at(current).kind == mcp::jsonrpc::Kind::Request &&
                         m_recorder->at(current).direction == mcp::Direction::Sent);
}

ReplayDialog *TrafficActions::replay()
{
    const std::vector<int> selection = m_selection();
    if (selection.empty())
        return nullptr;
    const int index = selection.front();
    mcp::ClientSession *session = m_session ? m_session(m_recorder->at(index).connection) : nullptr;
    auto *dialog = new ReplayDialog(*m_recorder, index, session, m_parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace mcpui
