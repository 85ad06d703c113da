<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>KioskApp</name>
    <message>
        <source>Sangsuk cannot start</source>
        <translation>ระบบประเมินเริ่มทำงานไม่ได้</translation>
    </message>
    <message>
        <source>The kiosk&apos;s settings cannot be used. Please ask the district clerk to check them.</source>
        <translation>ใช้การตั้งค่าของตู้ประเมินนี้ไม่ได้ กรุณาแจ้งเจ้าหน้าที่อำเภอให้ตรวจสอบ</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Happy District kiosk</source>
        <translation>ตู้ประเมินอำเภอสร้างสุข</translation>
    </message>
</context>
<context>
    <name>StoryField</name>
    <message>
        <source>Your story</source>
        <translation>เรื่องราวของท่าน</translation>
    </message>
    <message>
        <source>Type your story with the keyboard below (optional)</source>
        <translation>พิมพ์เรื่องราวความประทับใจด้วยแป้นพิมพ์ด้านล่าง (ไม่บังคับ)</translation>
    </message>
</context>
<context>
    <name>ThaiKeyboard</name>
    <message>
        <source>On-screen keyboard</source>
        <translation>แป้นพิมพ์บนหน้าจอ</translation>
    </message>
    <message>
        <source>↑ Shift</source>
        <extracomment>The Shift key&apos;s label; keep the arrow (the font has no ⇧).</extracomment>
        <translation>↑ ยกแคร่</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>ยกแคร่</translation>
    </message>
    <message>
        <source>Types the upper character of the next key</source>
        <translation>พิมพ์อักษรตัวบนของแป้นถัดไป</translation>
    </message>
    <message>
        <source>← Delete</source>
        <extracomment>The Backspace key&apos;s label: it deletes the character before the caret.</extracomment>
        <translation>← ลบ</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>ลบ</translation>
    </message>
    <message>
        <source>Deletes the last character typed</source>
        <translation>ลบตัวอักษรตัวสุดท้ายที่พิมพ์</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>เว้นวรรค</translation>
    </message>
    <message>
        <source>Switch the keyboard to English</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาอังกฤษ</translation>
    </message>
    <message>
        <source>Switch the keyboard to Thai</source>
        <translation>เปลี่ยนแป้นพิมพ์เป็นภาษาไทย</translation>
    </message>
    <message>
        <source>No characters left</source>
        <translation>พิมพ์ครบจำนวนแล้ว</translation>
    </message>
    <message>
        <source>1 character left</source>
        <translation>เหลืออีก 1 ตัวอักษร</translation>
    </message>
    <message>
        <source>%1 characters left</source>
        <extracomment>%1 is a number of 2 or more; 1 and 0 have strings of their own.</extracomment>
        <translation>เหลืออีก %1 ตัวอักษร</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <source>Happy District — Happiness can be built</source>
        <translation>อำเภอสร้างสุข — สุข สร้าง ได้</translation>
    </message>
    <message>
        <source>%1 District, %2</source>
        <translation>อำเภอ%1 จังหวัด%2</translation>
    </message>
    <message>
        <source>Tap to rate our service</source>
        <translation>แตะเพื่อประเมินความพึงพอใจ</translation>
    </message>
    <message>
        <source>Starts a short survey. You are not asked who you are.</source>
        <translation>เริ่มแบบประเมินสั้น ๆ โดยไม่ต้องระบุตัวตน</translation>
    </message>
    <message>
        <source>Less suffering, more happiness</source>
        <translation>ทุกข์น้อยลง สุขมากขึ้น</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>ตัวอย่าง</translation>
    </message>
    <message>
        <source>Demo district: for trying out the kiosk</source>
        <translation>อำเภอตัวอย่าง สำหรับทดลองใช้ตู้ประเมิน</translation>
    </message>
    <message>
        <source>ไทย</source>
        <extracomment>The language switch shows the name of the OTHER language, written in that language.</extracomment>
        <translation>English</translation>
    </message>
    <message>
        <source>Switch to Thai (ภาษาไทย)</source>
        <extracomment>For screen readers: the language switch changes to the OTHER language.</extracomment>
        <translation>เปลี่ยนเป็นภาษาอังกฤษ (English)</translation>
    </message>
    <message>
        <source>Happy District emblem</source>
        <translation>ตราสัญลักษณ์อำเภอสร้างสุข</translation>
    </message>
</context>
</TS>
