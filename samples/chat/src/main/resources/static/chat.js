// A Web PubSub client with the json.webpubsub.azure.v1 subprotocol and no library: the page asks
// the application for a client URL, then talks to the service directly.
(function () {
  'use strict';

  const joinForm = document.getElementById('join-form');
  const sendForm = document.getElementById('send-form');
  const userInput = document.getElementById('user');
  const roomInput = document.getElementById('room');
  const messageInput = document.getElementById('message');
  const sendButton = document.getElementById('send');
  const joinButton = document.getElementById('join');
  const status = document.getElementById('status');
  const messages = document.getElementById('messages');
  const users = document.getElementById('users');

  let socket = null;
  let nextAckId = 1;
  let presenceRequest = 0;

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  function setConnected(connected) {
    messageInput.disabled = !connected;
    sendButton.disabled = !connected;
    joinButton.disabled = connected;
    userInput.disabled = connected;
    roomInput.disabled = connected;
  }

  // textContent only: what users type is never parsed as HTML.
  function show(kind, user, text) {
    const item = document.createElement('li');
    item.className = kind;
    if (user) {
      const name = document.createElement('span');
      name.className = 'user';
      name.textContent = user;
      item.appendChild(name);
    }
    item.appendChild(document.createTextNode(text));
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  function showUsers(names, truncated) {
    users.replaceChildren();
    for (const name of names) {
      const item = document.createElement('li');
      item.textContent = name;
      users.appendChild(item);
    }
    if (truncated) {
      const item = document.createElement('li');
      item.className = 'truncated';
      item.textContent = 'and more';
      users.appendChild(item);
    }
  }

  // Asks the application who is in the room (the service's list of the group's connections).
  // Joins and leaves can overlap, so only the answer to the latest request is shown.
  async function refreshPresence() {
    const request = ++presenceRequest;
    try {
      const response = await fetch('presence?' + new URLSearchParams({ room: roomInput.value }));
      const body = await response.json();
      if (response.ok && request === presenceRequest && socket) {
        showUsers(body.users, body.truncated);
      }
    } catch (error) {
      // The next join or leave notice asks again.
    }
  }

  function onChatMessage(message) {
    if (message.kind === 'message') {
      show('message', message.user, message.text);
    } else if (message.kind === 'joined') {
      show('notice', null, message.user + ' joined');
      refreshPresence();
    } else if (message.kind === 'left') {
      show('notice', null, message.user + ' left');
      refreshPresence();
    }
  }

  function onFrame(frame) {
    if (frame.type === 'system' && frame.event === 'connected') {
      setStatus('Connected as ' + frame.userId + ' in ' + roomInput.value);
      setConnected(true);
      messageInput.focus();
      refreshPresence();
    } else if (frame.type === 'system' && frame.event === 'disconnected') {
      setStatus('Disconnected: ' + (frame.message || 'no reason given'), true);
    } else if (frame.type === 'message' && frame.from === 'group' && frame.dataType === 'json') {
      onChatMessage(frame.data);
    } else if (frame.type === 'ack' && !frame.success) {
      const error = frame.error || {};
      show('error', null, 'Not sent: ' + (error.name || 'error') + ' ' + (error.message || ''));
    }
  }

  async function join(event) {
    event.preventDefault();
    joinButton.disabled = true;
    setStatus('Connecting...');
    const query = new URLSearchParams({ user: userInput.value, room: roomInput.value });
    try {
      const response = await fetch('negotiate?' + query);
      const body = await response.json();
      if (!response.ok) {
        throw new Error(body.detail || response.statusText);
      }
      socket = new WebSocket(body.url, 'json.webpubsub.azure.v1');
      socket.onmessage = (e) => onFrame(JSON.parse(e.data));
      socket.onclose = (e) => {
        setConnected(false);
        presenceRequest++;
        showUsers([], false);
        setStatus('Connection closed (' + e.code + (e.reason ? ': ' + e.reason : '') + ')', true);
        socket = null;
      };
    } catch (error) {
      joinButton.disabled = false;
      setStatus('Could not join: ' + error.message, true);
    }
  }

  function send(event) {
    event.preventDefault();
    const text = messageInput.value.trim();
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    socket.send(JSON.stringify({
      type: 'event', event: 'message', ackId: nextAckId++, dataType: 'text', data: text
    }));
    messageInput.value = '';
  }

  joinForm.addEventListener('submit', join);
  sendForm.addEventListener('submit', send);
})();
